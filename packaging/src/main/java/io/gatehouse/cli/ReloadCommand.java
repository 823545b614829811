package io.gatehouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gatehouse reload}: asks the running master to reload its config and its apps' code, and reports how. */
@Command(name = "reload", mixinStandardHelpOptions = true,
        description = "Reload the running master (like SIGHUP) and wait for the outcome: the config is read again "
                + "(apps added are started, removed ones drained, changed ones retuned or replaced) and every "
                + "Python, JVM and CGI app gets new workers, so new code is loaded; the old workers retire once the "
                + "new ones are ready, and no request fails. A config with errors is refused and the running one "
                + "stays. The outcome is printed for each app.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:reloaded",
            "1:reloaded, but some app's new workers failed to start (its previous workers keep serving), or an "
                    + "apps-dir file was refused (its previous apps keep running)",
            "2:refused: the config has errors, an app named is not in it, or a new socket could not be bound; "
                    + "nothing changed",
            "3:no master answers on the control socket"})
final class ReloadCommand extends ControlVerb {
    @Option(names = "--config-only",
            description = "Apply the config's changes only: apps whose config did not change keep their workers "
                    + "(and the code they loaded).")
    boolean configOnly;

    @Option(names = "--app", paramLabel = "NAME",
            description = "Reload this app alone: its config as the file says now, and new workers (new code); "
                    + "nothing else changes. Repeatable.")
    List<String> apps = new ArrayList<>();

    @Override
    int run(PrintWriter out, PrintWriter err) throws Exception {
        if (configOnly && !apps.isEmpty()) {
            throw VerbFailure.of(Gatehouse.EXIT_USAGE, "--config-only applies every app's config; give it no --app");
        }
        JsonNode answer;
        try (ControlClient client = ControlClient.connect(socket.resolve())) {
            answer = client.send("reload" + (configOnly ? " --config-only" : "")
                    + (apps.isEmpty() ? "" : " " + String.join(" ", apps)));
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
        for (JsonNode a : answer.path("apps")) {
            String detail = a.path("detail").asText();
            out.println("  " + a.path("name").asText() + ": " + a.path("action").asText()
                    + (detail.isEmpty() ? "" : " (" + detail + ")"));
        }
        out.flush();
        return answer.path("ok").asBoolean() ? 0 : Gatehouse.EXIT_FAILURE;
    }
}
