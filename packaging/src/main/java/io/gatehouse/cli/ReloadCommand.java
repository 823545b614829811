package io.gatehouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gatehouse reload}: asks the running master to reload its config, and reports how it went. */
@Command(name = "reload", mixinStandardHelpOptions = true,
        description = "Reload the running master's config (like SIGHUP) and wait for the outcome: apps added are "
                + "started, removed ones drained, changed ones get new workers before the old ones retire, unchanged "
                + "ones are left alone. A config with errors is refused and the running one stays.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:reloaded",
            "1:reloaded, but some app's new workers failed to start (its previous workers keep serving)",
            "2:refused: the config has errors, or a new socket could not be bound; nothing changed",
            "3:no master answers on the control socket"})
final class ReloadCommand extends ControlVerb {
    @Option(names = "--app", paramLabel = "NAME",
            description = "Also replace this app's workers though its config is unchanged (to load new code). "
                    + "Repeatable.")
    List<String> apps = new ArrayList<>();

    @Override
    int run(PrintWriter out, PrintWriter err) throws Exception {
        JsonNode answer;
        try (ControlClient client = ControlClient.connect(socket.resolve())) {
            answer = client.send(apps.isEmpty() ? "reload" : "reload " + String.join(" ", apps));
        }
        if (answer.has("error")) {
            throw VerbFailure.of(Gatehouse.EXIT_FAILURE, answer.get("error").asText());
        }
        for (JsonNode e : answer.path("errors")) {
            err.println(e.asText());
        }
        err.flush();
        if (answer.path("refused").asBoolean()) {
            throw VerbFailure.of(Gatehouse.EXIT_CONFIG, "reload refused: " + answer.path("summary").asText());
        }
        out.println("reloaded: " + answer.path("summary").asText());
        out.flush();
        return answer.path("ok").asBoolean() ? 0 : Gatehouse.EXIT_FAILURE;
    }
}
