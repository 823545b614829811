package io.gatehouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gatehouse stop}: stops the running master (gracefully, or at once with --now) and waits until it has. */
@Command(name = "stop", mixinStandardHelpOptions = true,
        description = "Stop the running master and wait until it has exited. By default like SIGTERM: stop "
                + "accepting, let in-flight requests finish (up to master.shutdown-timeout). --now is like SIGINT.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the master has stopped",
            "1:it did not stop within --timeout",
            "3:no master answers on the control socket"})
final class StopCommand extends ControlVerb {
    @Option(names = "--now", description = "Stop at once: kill the workers and close every connection.")
    boolean now;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "120",
            description = "How long to wait for the master to exit (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Override
    int run(PrintWriter out, PrintWriter err) throws Exception {
        try (ControlClient client = ControlClient.connect(socket.resolve())) {
            JsonNode answer = client.send(now ? "stop now" : "stop");
            if (!answer.path("ok").asBoolean()) {
                throw VerbFailure.of(Gatehouse.EXIT_FAILURE, answer.path("error").asText());
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
            boolean closed = client.awaitClose(Duration.ofSeconds(timeoutSeconds).toMillis());
            long pid = answer.path("pid").asLong(-1);
            boolean exited = closed && ProcessHandle.of(pid).map(p -> {
                try {
                    p.onExit().get(Math.max(1, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
                    return true;
                } catch (Exception e) {
                    return !p.isAlive();
                }
            }).orElse(true);
            if (!exited) {
                throw VerbFailure.of(Gatehouse.EXIT_FAILURE, "the master (pid " + pid + ") did not stop within "
                        + timeoutSeconds + " s");
            }
            out.println("stopped (pid " + pid + ")");
            out.flush();
            return 0;
        }
    }
}
