package io.gatehouse.core.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.core.pool.PoolStatus;
import io.gatehouse.core.pool.WorkerStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The Prometheus text of the meters and the uWSGI layout of the JSON. */
class StatsFormatsTest {

    @Test
    void writesCountersWithTotalAndEscapedLabels() {
        SimpleMeterRegistry r = new SimpleMeterRegistry();
        Counter.builder("gatehouse.requests").description("Requests answered").tags("app", "a\"b\\c", "status", "2xx")
                .register(r).increment(3);
        assertEquals("""
                # HELP gatehouse_requests_total Requests answered
                # TYPE gatehouse_requests_total counter
                gatehouse_requests_total{app="a\\"b\\\\c",status="2xx"} 3
                """, PrometheusText.write(r));
    }

    @Test
    void writesTimersAsCumulativeHistogramsInSeconds() {
        SimpleMeterRegistry r = new SimpleMeterRegistry();
        RequestMeters meters = new RequestMeters(r);
        assertTrue(RequestMeters.BUCKETS.length > 0);
        Timer t = Timer.builder("gatehouse.request.duration").tags("app", "a")
                .serviceLevelObjectives(RequestMeters.BUCKETS)
                .distributionStatisticExpiry(java.time.Duration.ofDays(36_500)).distributionStatisticBufferLength(1)
                .register(r);
        t.record(3, TimeUnit.MILLISECONDS);
        t.record(700, TimeUnit.MILLISECONDS);
        String text = PrometheusText.write(r);
        assertTrue(text.contains("# TYPE gatehouse_request_duration_seconds histogram\n"), text);
        assertTrue(text.contains("gatehouse_request_duration_seconds_bucket{app=\"a\",le=\"0.001\"} 0\n"), text);
        assertTrue(text.contains("gatehouse_request_duration_seconds_bucket{app=\"a\",le=\"0.005\"} 1\n"), text);
        assertTrue(text.contains("gatehouse_request_duration_seconds_bucket{app=\"a\",le=\"1\"} 2\n"), text);
        assertTrue(text.contains("gatehouse_request_duration_seconds_bucket{app=\"a\",le=\"+Inf\"} 2\n"), text);
        assertTrue(text.contains("gatehouse_request_duration_seconds_count{app=\"a\"} 2\n"), text);
        assertTrue(text.contains("gatehouse_request_duration_seconds_sum{app=\"a\"} 0.703\n"), text);
        assertTrue(!text.contains("_histogram"), "the registry's bucket gauges are not written twice: " + text);
        assertTrue(meters != null);
    }

    /** The keys of uWSGI 2.0's stats document (as `uwsgi --stats` prints them), which uwsgitop reads. */
    static final List<String> UWSGI_TOP = List.of("version", "listen_queue", "listen_queue_errors", "signal_queue",
            "load", "pid", "uid", "gid", "cwd", "locks", "sockets", "workers");
    static final List<String> UWSGI_WORKER = List.of("id", "pid", "accepting", "requests", "delta_requests",
            "exceptions", "harakiri_count", "signals", "signal_queue", "status", "rss", "vsz", "running_time",
            "last_spawn", "respawn_count", "tx", "avg_rt", "apps", "cores");
    static final List<String> UWSGI_SOCKET = List.of("name", "proto", "queue", "max_queue", "shared", "can_offload");
    static final List<String> UWSGI_CORE = List.of("id", "requests", "static_requests", "routed_requests",
            "offloaded_requests", "write_errors", "read_errors", "in_request", "vars", "req_info");

    @Test
    void theJsonHasEveryKeyOfUwsgisLayout() throws Exception {
        WorkerStatus busy = new WorkerStatus(1, 100, 1, "ready", 1, 2, 10, 1 << 20, 5_000_000, 9_000_000_000L,
                20_000_000);
        WorkerStatus idle = new WorkerStatus(2, 101, 1, "ready", 0, 2, 0, -1, -1, 9_000_000_000L, 0);
        PoolStatus pool = new PoolStatus("web", "ready", 1, 2, 3, 0, 0, null, List.of(busy, idle));
        ServerStatus s = new ServerStatus(99, "gatehouse 1", 1_000_000, 10_000_000_000L, "g.yaml", "ready",
                List.of(new ServerStatus.ListenerInfo("h", "http", "127.0.0.1:80", "127.0.0.1:80", 0, 1024)),
                List.of(new ServerStatus.AppInfo("web", "python", "/web", List.of(), pool,
                        new ServerStatus.Counters(10, 4, 0, 1, 0, 0), "g.yaml")), List.of());
        JsonNode j = new ObjectMapper().readTree(UwsgiStatsJson.write(s));
        assertTrue(keys(j).containsAll(UWSGI_TOP), keys(j).toString());
        JsonNode w = j.get("workers").get(0);
        assertTrue(keys(w).containsAll(UWSGI_WORKER), keys(w).toString());
        assertTrue(keys(j.get("sockets").get(0)).containsAll(UWSGI_SOCKET));
        assertTrue(keys(w.get("cores").get(0)).containsAll(UWSGI_CORE));
        assertEquals("busy", w.get("status").asText());
        assertEquals("idle", j.get("workers").get(1).get("status").asText());
        assertEquals(2, j.get("workers").get(1).get("id").asInt());
        assertEquals(2000, w.get("avg_rt").asLong(), "20 ms over 10 requests, in microseconds");
        assertEquals(3, j.get("listen_queue").asInt());
        assertEquals(4, j.get("listen_queue_errors").asInt());
        assertEquals("/web", w.get("apps").get(0).get("mountpoint").asText());
        assertEquals(1024, j.get("sockets").get(0).get("max_queue").asInt());
    }

    static List<String> keys(JsonNode n) {
        List<String> out = new ArrayList<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            out.add(it.next());
        }
        return out;
    }
}
