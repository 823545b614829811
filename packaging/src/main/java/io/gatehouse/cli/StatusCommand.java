package io.gatehouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gatehouse status}: the running master's listeners, apps and workers. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show the running master: its listeners; each app's state, the file that declares it, and its "
                + "workers (pid, state, requests served, memory, age of the request in progress); and each apps-dir "
                + "file, loaded or refused with its errors.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the master is running (whatever its apps' state)",
            "3:no master answers on the control socket"})
final class StatusCommand extends ControlVerb {
    @Option(names = "--json", description = "Print the answer as JSON, as the control socket gives it.")
    boolean json;

    @Override
    int run(PrintWriter out, PrintWriter err) throws Exception {
        JsonNode s;
        try (ControlClient client = ControlClient.connect(socket.resolve())) {
            s = client.send("status");
        }
        if (json) {
            out.println(s.toString());
            out.flush();
            return 0;
        }
        out.printf("%s, pid %d, %s, up %s%n  config %s%n", s.path("version").asText(), s.path("pid").asLong(),
                s.path("state").asText(), duration(s.path("uptime_s").asLong()), s.path("config").asText());
        out.println("listeners:");
        for (JsonNode l : s.path("listeners")) {
            out.printf("  %-28s %-8s %-24s %d connection(s)%n", l.path("name").asText(), l.path("protocol").asText(),
                    l.path("address").asText(), l.path("connections").asInt());
        }
        out.println("apps:");
        for (JsonNode a : s.path("apps")) {
            app(out, a);
        }
        if (s.path("apps_files").size() > 0) {
            out.println("apps-dir files:");
        }
        for (JsonNode f : s.path("apps_files")) {
            out.printf("  %s: %s, running %s%n", f.path("file").asText(), f.path("state").asText(),
                    f.path("apps").size() == 0 ? "no app" : join(f.path("apps")));
            for (JsonNode e : f.path("errors")) {
                out.println("    " + e.asText());
            }
        }
        out.flush();
        return 0;
    }

    private static String join(JsonNode names) {
        List<String> all = new ArrayList<>();
        names.forEach(n -> all.add(n.asText()));
        return String.join(", ", all);
    }

    private static void app(PrintWriter out, JsonNode a) {
        out.printf("  %s (%s at %s): %s", a.path("name").asText(), a.path("runtime").asText(), a.path("mount").asText(),
                a.path("state").asText());
        if (a.path("failing_starts").asInt() > 0) {
            out.printf(" - %d failed start(s), next attempt in %d s: %s", a.path("failing_starts").asInt(),
                    (a.path("next_attempt_ms").asLong() + 999) / 1000, a.path("last_failure").asText());
        }
        out.printf("%n    declared in %s%n", a.path("file").asText());
        out.printf("    generation %d, %d worker(s) wanted, %d queued; served %d, rejected %d, harakiri %d, "
                + "respawns %d, recycles %d%n", a.path("generation").asInt(), a.path("target_workers").asInt(),
                a.path("queued").asInt(), a.path("served").asLong(), a.path("rejected").asLong(),
                a.path("harakiri").asLong(), a.path("respawns").asLong(), a.path("recycles").asLong());
        if (a.path("workers").size() == 0) {
            return;
        }
        out.printf("    %-4s %-8s %-4s %-9s %-6s %-9s %-10s %-10s %s%n", "ID", "PID", "GEN", "STATE", "BUSY", "SERVED",
                "RSS", "REQ-AGE", "AGE");
        for (JsonNode w : a.path("workers")) {
            long pid = w.path("pid").asLong();
            long rss = w.path("rss").asLong();
            long reqAge = w.path("request_age_ms").asLong();
            out.printf("    %-4d %-8s %-4d %-9s %-6s %-9d %-10s %-10s %s%n", w.path("id").asInt(),
                    pid > 0 ? Long.toString(pid) : "-", w.path("generation").asInt(), w.path("state").asText(),
                    w.path("busy").asInt() + "/" + w.path("capacity").asInt(), w.path("served").asLong(),
                    rss < 0 ? "-" : (rss / (1024 * 1024)) + " MiB", reqAge < 0 ? "-" : reqAge + " ms",
                    duration(w.path("age_s").asLong()));
        }
    }

    private static String duration(long s) {
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return s / 60 + "m" + s % 60 + "s";
        }
        return s / 3600 + "h" + (s % 3600) / 60 + "m";
    }
}
