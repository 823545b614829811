package io.gatehouse.core.master;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.gatehouse.core.pool.PoolStatus;
import io.gatehouse.core.pool.WorkerStatus;
import io.gatehouse.core.stats.ServerStatus;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The control socket's protocol. A client sends one line of words and reads one line of JSON:
 * <ul>
 *   <li>{@code status}: the server, its listeners, apps and workers;</li>
 *   <li>{@code reload}: reload the config and replace the workers of every app with code; {@code reload
 *       --config-only}: reload the config, replacing only the apps it changed; {@code reload APP...}: reload those
 *       apps alone (their config and code). The answer comes when the reload has ended:
 *       {@code {"ok":..,"refused":..,"summary":..,"errors":[..],"apps":[{"name":..,"action":..,"detail":..}]}};</li>
 *   <li>{@code stop} or {@code stop now}: {@code {"ok":true,"stopping":"graceful"|"now"}}, then the connection
 *       stays open until the master has exited.</li>
 * </ul>
 * Anything else gets {@code {"ok":false,"error":"..."}}.
 */
final class ControlProtocol {
    private static final JsonFactory JSON = new JsonFactory();

    /** A parsed command line. */
    record Command(String verb, Set<String> apps, boolean now, boolean configOnly) {

        /** What a {@code reload} asks for. */
        ReloadScope scope() {
            if (configOnly) {
                return ReloadScope.configOnly();
            }
            return apps.isEmpty() ? ReloadScope.everything() : ReloadScope.apps(apps);
        }
    }

    private static final String CONFIG_ONLY = "--config-only";

    private ControlProtocol() {
    }

    static Command parse(String line) {
        String[] words = line.trim().split("\\s+");
        String verb = words[0];
        switch (verb) {
            case "status":
                if (words.length > 1) {
                    throw new IllegalArgumentException("status takes no arguments");
                }
                return new Command(verb, Set.of(), false, false);
            case "reload":
                Set<String> apps = new LinkedHashSet<>(List.of(words).subList(1, words.length));
                boolean configOnly = apps.remove(CONFIG_ONLY);
                if (configOnly && !apps.isEmpty()) {
                    throw new IllegalArgumentException(CONFIG_ONLY + " reloads every app's config; it takes no app");
                }
                return new Command(verb, Set.copyOf(apps), false, configOnly);
            case "stop":
                if (words.length > 2 || (words.length == 2 && !words[1].equals("now"))) {
                    throw new IllegalArgumentException("expected 'stop' or 'stop now'");
                }
                return new Command(verb, Set.of(), words.length == 2, false);
            default:
                throw new IllegalArgumentException("unknown command '" + verb + "'; known: status, reload "
                        + "[--config-only | APP...], stop [now]");
        }
    }

    static String error(String message) {
        return write(g -> {
            g.writeBooleanField("ok", false);
            g.writeStringField("error", message);
        });
    }

    static String stopping(boolean now) {
        return write(g -> {
            g.writeBooleanField("ok", true);
            g.writeStringField("stopping", now ? "now" : "graceful");
            g.writeNumberField("pid", ProcessHandle.current().pid());
        });
    }

    static String reload(ReloadReport r) {
        return write(g -> {
            g.writeBooleanField("ok", r.ok());
            g.writeBooleanField("refused", r.refused());
            g.writeStringField("summary", r.summary());
            strings(g, "errors", r.errors());
            g.writeArrayFieldStart("apps");
            for (ReloadReport.AppOutcome a : r.apps()) {
                g.writeStartObject();
                g.writeStringField("name", a.app());
                g.writeStringField("action", a.action());
                g.writeStringField("detail", a.detail());
                g.writeEndObject();
            }
            g.writeEndArray();
        });
    }

    static String status(ServerStatus s) {
        return write(g -> {
            g.writeBooleanField("ok", true);
            g.writeNumberField("pid", s.pid());
            g.writeStringField("version", s.version());
            g.writeStringField("state", s.state());
            g.writeStringField("config", s.config());
            g.writeNumberField("uptime_s", s.uptimeNanos() / 1_000_000_000L);
            g.writeArrayFieldStart("listeners");
            for (ServerStatus.ListenerInfo l : s.listeners()) {
                g.writeStartObject();
                g.writeStringField("name", l.name());
                g.writeStringField("protocol", l.protocol());
                g.writeStringField("bind", l.bind());
                g.writeStringField("address", l.address());
                g.writeNumberField("connections", l.connections());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("apps");
            for (ServerStatus.AppInfo a : s.apps()) {
                app(g, a);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("apps_files");
            for (ServerStatus.AppsFileInfo f : s.appsFiles()) {
                g.writeStartObject();
                g.writeStringField("file", f.file());
                g.writeStringField("state", f.refused() ? "refused" : "loaded");
                strings(g, "apps", f.apps());
                strings(g, "errors", f.errors());
                g.writeEndObject();
            }
            g.writeEndArray();
        });
    }

    private static void strings(JsonGenerator g, String field, List<String> values) throws IOException {
        g.writeArrayFieldStart(field);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }

    private static void app(JsonGenerator g, ServerStatus.AppInfo a) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", a.name());
        g.writeStringField("runtime", a.runtime());
        g.writeStringField("mount", a.mount());
        strings(g, "hosts", a.hosts());
        g.writeStringField("file", a.file());
        PoolStatus p = a.pool();
        g.writeStringField("state", p == null ? "unavailable" : p.state());
        ServerStatus.Counters c = a.counters();
        g.writeNumberField("served", c.served());
        g.writeNumberField("rejected", c.rejected());
        g.writeNumberField("harakiri", c.harakiris());
        g.writeNumberField("respawns", c.respawns());
        g.writeNumberField("recycles", c.recycles());
        g.writeNumberField("failed_starts", c.failedStarts());
        if (p != null) {
            g.writeNumberField("generation", p.generation());
            g.writeNumberField("target_workers", p.target());
            g.writeNumberField("queued", p.queued());
            g.writeNumberField("failing_starts", p.failedStarts());
            g.writeNumberField("next_attempt_ms", p.nextAttemptNanos() / 1_000_000);
            if (p.lastFailure() != null) {
                g.writeStringField("last_failure", p.lastFailure());
            }
            g.writeArrayFieldStart("workers");
            for (WorkerStatus w : p.workers()) {
                worker(g, w);
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    private static void worker(JsonGenerator g, WorkerStatus w) throws IOException {
        g.writeStartObject();
        g.writeNumberField("id", w.id());
        g.writeNumberField("pid", w.pid());
        g.writeNumberField("generation", w.generation());
        g.writeStringField("state", w.state());
        g.writeNumberField("busy", w.busy());
        g.writeNumberField("capacity", w.capacity());
        g.writeNumberField("served", w.served());
        g.writeNumberField("rss", w.rssBytes());
        g.writeNumberField("request_age_ms", w.oldestNanos() < 0 ? -1 : w.oldestNanos() / 1_000_000);
        g.writeNumberField("age_s", w.ageNanos() / 1_000_000_000L);
        g.writeEndObject();
    }

    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static String write(Body body) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            body.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
