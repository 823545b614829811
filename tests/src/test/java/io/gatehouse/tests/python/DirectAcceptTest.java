package io.gatehouse.tests.python;

import static io.gatehouse.tests.python.PythonApps.get;
import static io.gatehouse.tests.support.LogLines.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.tests.support.Await;
import io.gatehouse.tests.support.ControlStatus;
import io.gatehouse.tests.support.FreePort;
import io.gatehouse.tests.support.GatehouseProcess;
import io.gatehouse.tests.support.LoggedProcess;
import io.gatehouse.tests.support.Nginx;
import io.gatehouse.tests.support.Wrk;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A WSGI app behind nginx over a uwsgi unix socket, alone in its config: its workers accept nginx's connections
 * themselves (the direct path, the default there), and the supervision is the master's as ever. A killed worker
 * fails only its request and is replaced; harakiri answers 504; max-requests recycles workers whose requests the
 * master never saw; reloads under load fail no request; and an app that cannot start is answered 503 by the master,
 * which takes the connections while no worker does.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DirectAcceptTest {
    private static final int MAX_REQUESTS = 40;

    @TempDir
    static Path dir;
    private GatehouseProcess server;
    private Nginx nginx;
    private final int stats = FreePort.pick();

    @BeforeAll
    void start() {
        Path socket = dir.resolve("app.sock");
        GatehouseProcess.write(dir, "gatehouse.yaml", config("graceful", socket));
        server = GatehouseProcess.start(dir, config("graceful", socket));
        nginx = Nginx.start(dir.resolve("nginx"), "location / { include /etc/nginx/uwsgi_params; uwsgi_pass unix:"
                + socket + "; }\n");
    }

    private String config(String reload, Path socket) {
        return "master:\n  reload: " + reload + "\n  control-socket: " + dir.resolve("control.sock") + "\n"
                + "stats: {bind: \"127.0.0.1:" + stats + "\"}\n" + "listeners:\n  - {name: up, protocol: uwsgi, bind: \"unix:" + socket + "\"}\napps:\n"
                + PythonApps.app("direct", "/", PythonApps.lifecycleApp("workers: 2\nharakiri: 3s\nmax-requests: "
                        + MAX_REQUESTS + "\n")).indent(2);
    }

    @AfterAll
    void stop() {
        try (Nginx n = nginx; GatehouseProcess g = server) {
            // nginx first
        }
    }

    @Test
    @Order(1)
    void theWorkersTakeTheConnections() {
        for (int i = 0; i < 5; i++) {
            assertEquals(200, get(nginx.port(), "/pid").statusCode());
        }
        assertTrue(server.output().contains("app 'direct': its workers accept the connections of 'up' themselves"),
                server.output());
        // the scoreboards count them within a tick; the master relayed none of them
        Await.until("the direct requests counted", Duration.ofSeconds(5),
                () -> get(stats, "/metrics").body().contains("gatehouse_requests_direct_total{app=\"direct\"} 5\n"));
        assertTrue(!get(stats, "/metrics").body().contains("gatehouse_requests_total{app=\"direct\""),
                get(stats, "/metrics").body());
    }

    @Test
    @Order(2)
    void aKilledWorkerFailsOnlyItsRequestAndIsReplaced() throws Exception {
        List<Long> before = ControlStatus.readyPids(control(), "direct");
        assertEquals(2, before.size(), "two workers: " + before);
        // one request on each worker: a worker runs one at a time
        List<CompletableFuture<HttpResponse<String>>> sleeping = List.of(sleep(2500), sleep(2500));
        Thread.sleep(1000);
        long victim = before.get(0);
        LoggedProcess.signal(victim, "KILL");
        List<Integer> statuses = sleeping.stream().map(f -> f.join().statusCode()).sorted().toList();
        assertEquals(List.of(200, 502), statuses, "only the killed worker's request failed");
        Await.until("a new worker", Duration.ofSeconds(30), () -> {
            List<Long> now = ControlStatus.readyPids(control(), "direct");
            return now.size() == 2 && !now.contains(victim);
        });
        assertEquals(200, get(nginx.port(), "/pid").statusCode());
    }

    @Test
    @Order(3)
    void harakiriAnswers504AndReplacesTheWorker() {
        long began = System.nanoTime();
        HttpResponse<String> r = get(nginx.port(), "/sleep?ms=20000");
        assertEquals(504, r.statusCode(), r.body());
        assertTrue(System.nanoTime() - began < 10_000_000_000L, "answered at harakiri, not at the sleep's end");
        Await.until("the harakiri line", Duration.ofSeconds(10), () -> server.output().contains(
                "ran GET /sleep?ms=20000 for over 3000 ms; answering 504 and ending it"));
        assertEquals(200, get(nginx.port(), "/pid").statusCode());
    }

    @Test
    @Order(4)
    void maxRequestsRecyclesWorkersThatServeAlone() {
        int recycled = count(server.output(), "served max-requests " + MAX_REQUESTS);
        List<Long> first = ControlStatus.readyPids(control(), "direct");
        Map<Long, Integer> answered = new HashMap<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (answered.keySet().stream().allMatch(first::contains) && System.nanoTime() < deadline) {
            HttpResponse<String> r = get(nginx.port(), "/pid");
            assertEquals(200, r.statusCode(), r.body());
            answered.merge(Long.parseLong(r.body().split(" ")[0]), 1, Integer::sum);
        }
        assertTrue(!answered.keySet().stream().allMatch(first::contains), "a new worker answered: " + answered);
        for (long old : first) {
            assertTrue(answered.getOrDefault(old, 0) <= MAX_REQUESTS, "no worker served past max-requests: "
                    + answered);
        }
        Await.until("the recycling lines", Duration.ofSeconds(10),
                () -> count(server.output(), "served max-requests " + MAX_REQUESTS) > recycled);
    }

    @Test
    @Order(5)
    void reloadsUnderLoadFailNoRequest() throws Exception {
        Path socket = dir.resolve("app.sock");
        try (Wrk wrk = Wrk.start(dir, "http://127.0.0.1:" + nginx.port() + "/pid", 2, 16, 20)) {
            Thread.sleep(1500);
            for (int i = 1; i <= 4; i++) {
                boolean chain = i > 2;
                GatehouseProcess.write(dir, "gatehouse.yaml", config(chain ? "chain" : "graceful", socket));
                int generations = count(server.output(), "workers replaced by generation");
                if (chain) {
                    GatehouseProcess.Outcome o = GatehouseProcess.command(dir, "reload", "-s",
                            dir.resolve("control.sock").toString());
                    assertEquals(0, o.status(), o.stderr());
                } else {
                    server.signal("HUP");
                }
                Await.until("reload " + i, Duration.ofSeconds(30),
                        () -> count(server.output(), "workers replaced by generation") > generations);
                Thread.sleep(1500);
            }
            Wrk.Result r = wrk.await();
            assertTrue(r.requests() > 500, r.output());
            assertEquals(0, r.non2xx(), r.output());
            assertEquals(0, r.socketErrors(), r.output());
        }
        server.assertAlive();
    }

    @Test
    @Order(6)
    void anAppThatCannotStartIsAnswered503ByTheMaster() {
        Path broken = dir.resolve("broken");
        Path socket = broken.resolve("app.sock");
        GatehouseProcess.write(broken, "broken.py", "raise ImportError('no such thing')\n");
        String config = "listeners:\n  - {name: up, protocol: uwsgi, bind: \"unix:" + socket + "\"}\napps:\n"
                + PythonApps.app("broken", "/", "wsgi-file: " + broken.resolve("broken.py") + "\n").indent(2);
        try (GatehouseProcess g = GatehouseProcess.start(broken.resolve("gatehouse"), config);
                Nginx n = Nginx.start(broken.resolve("nginx"), "location / { include /etc/nginx/uwsgi_params; "
                        + "uwsgi_pass unix:" + socket + "; uwsgi_read_timeout 10s; }\n")) {
            HttpResponse<String> r = get(n.port(), "/");
            assertEquals(503, r.statusCode(), r.body() + "\n" + g.output());
            assertTrue(r.headers().firstValue("Retry-After").isPresent(), r.headers().toString());
        }
    }

    private Path control() {
        return dir.resolve("control.sock");
    }

    private CompletableFuture<HttpResponse<String>> sleep(int ms) {
        return CompletableFuture.supplyAsync(() -> get(nginx.port(), "/sleep?ms=" + ms));
    }
}
