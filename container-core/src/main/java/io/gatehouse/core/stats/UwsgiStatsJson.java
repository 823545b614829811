package io.gatehouse.core.stats;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.gatehouse.core.pool.PoolStatus;
import io.gatehouse.core.pool.WorkerStatus;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The server's state in the JSON layout of uWSGI's stats server, so tools written for it (uwsgitop, netdata,
 * Datadog's check) read Gatehouse too. uWSGI has one worker list; here the workers of every app are numbered in
 * one sequence, each naming its app in {@code apps[0].mountpoint} and in the extra key {@code app}. What Gatehouse
 * does not count (per-worker bytes sent, exceptions, signals, locks) is 0 or empty.
 */
public final class UwsgiStatsJson {
    private static final JsonFactory JSON = new JsonFactory();

    private UwsgiStatsJson() {
    }

    /** The document for {@code status}. */
    public static String write(ServerStatus status) {
        StringWriter out = new StringWriter(4096);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("version", status.version());
            int queued = 0;
            long rejected = 0;
            int busy = 0;
            for (ServerStatus.AppInfo a : status.apps()) {
                queued += a.pool() == null ? 0 : a.pool().queued();
                rejected += a.counters().rejected();
                for (WorkerStatus w : a.pool() == null ? java.util.List.<WorkerStatus>of() : a.pool().workers()) {
                    busy += w.busy();
                }
            }
            g.writeNumberField("listen_queue", queued);
            g.writeNumberField("listen_queue_errors", rejected);
            g.writeNumberField("signal_queue", 0);
            g.writeNumberField("load", busy);
            g.writeNumberField("pid", status.pid());
            g.writeNumberField("uid", owner("uid"));
            g.writeNumberField("gid", owner("gid"));
            g.writeStringField("cwd", Path.of("").toAbsolutePath().toString());
            g.writeArrayFieldStart("locks");
            g.writeEndArray();
            sockets(g, status);
            workers(g, status);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void sockets(JsonGenerator g, ServerStatus status) throws IOException {
        g.writeArrayFieldStart("sockets");
        for (ServerStatus.ListenerInfo l : status.listeners()) {
            g.writeStartObject();
            g.writeStringField("name", l.bind());
            g.writeStringField("proto", l.protocol());
            g.writeNumberField("queue", 0);
            g.writeNumberField("max_queue", l.backlog());
            g.writeNumberField("shared", 0);
            g.writeNumberField("can_offload", 0);
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void workers(JsonGenerator g, ServerStatus status) throws IOException {
        long nowEpoch = status.startedEpochSeconds() + status.uptimeNanos() / 1_000_000_000L;
        int id = 0;
        g.writeArrayFieldStart("workers");
        for (ServerStatus.AppInfo a : status.apps()) {
            PoolStatus pool = a.pool();
            if (pool == null) {
                continue;
            }
            for (WorkerStatus w : pool.workers()) {
                g.writeStartObject();
                g.writeNumberField("id", ++id);
                g.writeNumberField("pid", w.pid() > 0 ? w.pid() : status.pid());
                g.writeNumberField("accepting", w.state().equals("ready") ? 1 : 0);
                g.writeNumberField("requests", w.served());
                g.writeNumberField("delta_requests", w.served());
                g.writeNumberField("exceptions", 0);
                g.writeNumberField("harakiri_count", 0);
                g.writeNumberField("signals", 0);
                g.writeNumberField("signal_queue", 0);
                g.writeStringField("status", w.state().equals("starting") ? "cheap" : w.busy() > 0 ? "busy" : "idle");
                g.writeNumberField("rss", Math.max(0, w.rssBytes()));
                g.writeNumberField("vsz", 0);
                g.writeNumberField("running_time", w.busyNanos() / 1000);
                g.writeNumberField("last_spawn", nowEpoch - w.ageNanos() / 1_000_000_000L);
                g.writeNumberField("respawn_count", a.counters().respawns() + a.counters().recycles() + 1);
                g.writeNumberField("tx", 0);
                g.writeNumberField("avg_rt", w.served() == 0 ? 0 : w.busyNanos() / 1000 / w.served());
                g.writeStringField("app", a.name());
                app(g, a, w);
                cores(g, w);
                g.writeEndObject();
            }
        }
        g.writeEndArray();
    }

    private static void app(JsonGenerator g, ServerStatus.AppInfo a, WorkerStatus w) throws IOException {
        g.writeArrayFieldStart("apps");
        g.writeStartObject();
        g.writeNumberField("id", 0);
        g.writeNumberField("modifier1", 0);
        g.writeStringField("mountpoint", a.mount().equals("/") ? "" : a.mount());
        g.writeNumberField("startup_time", 0);
        g.writeNumberField("requests", w.served());
        g.writeNumberField("exceptions", 0);
        g.writeStringField("chdir", "");
        g.writeEndObject();
        g.writeEndArray();
    }

    /** One core per thread: uWSGI's word for a worker's request slots. */
    private static void cores(JsonGenerator g, WorkerStatus w) throws IOException {
        g.writeArrayFieldStart("cores");
        for (int i = 0; i < Math.max(1, w.capacity()); i++) {
            g.writeStartObject();
            g.writeNumberField("id", i);
            g.writeNumberField("requests", i == 0 ? w.served() : 0);
            for (String k : new String[] {"static_requests", "routed_requests", "offloaded_requests", "write_errors",
                "read_errors"}) {
                g.writeNumberField(k, 0);
            }
            g.writeNumberField("in_request", i < w.busy() ? 1 : 0);
            g.writeArrayFieldStart("vars");
            g.writeEndArray();
            g.writeObjectFieldStart("req_info");
            g.writeEndObject();
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static long owner(String what) {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:" + what)).longValue();
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return -1;
        }
    }
}
