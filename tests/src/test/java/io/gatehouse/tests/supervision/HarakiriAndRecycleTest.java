package io.gatehouse.tests.supervision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.tests.support.FreePort;
import io.gatehouse.tests.support.GatehouseProcess;
import io.gatehouse.tests.support.LogLines;
import io.gatehouse.tests.support.Wrk;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Harakiri and max-requests against a real server process. */
class HarakiriAndRecycleTest {
    @TempDir
    Path dir;
    final HttpClient client = HttpClient.newHttpClient();

    CompletableFuture<HttpResponse<String>> get(int port, String path) {
        return client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aRequestPastHarakiriGets504ItsThreadIsReplacedAndOthersAreUnaffected() throws Exception {
        int port = FreePort.pick();
        try (GatehouseProcess server = GatehouseProcess.start(dir, """
                master: {control-socket: %s}
                listeners: [{protocol: http, bind: "127.0.0.1:%d"}]
                apps:
                  - name: slow
                    runtime: jvm
                    class: io.gatehouse.tests.apps.SlowApp
                    classpath: [%s]
                    workers: 2
                    threads: 2
                    harakiri: 1s
                """.formatted(dir.resolve("c.sock"), port, Path.of("target/test-classes").toAbsolutePath()))) {
            long t0 = System.nanoTime();
            CompletableFuture<HttpResponse<String>> stuck = get(port, "/?ms=20000");
            List<CompletableFuture<HttpResponse<String>>> others = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                others.add(get(port, "/?ms=100"));
                Thread.sleep(50);
            }
            HttpResponse<String> r = stuck.get(10, TimeUnit.SECONDS);
            assertEquals(504, r.statusCode());
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(ms >= 1000 && ms < 5000, "answered after " + ms + " ms");
            for (CompletableFuture<HttpResponse<String>> f : others) {
                HttpResponse<String> o = f.get(10, TimeUnit.SECONDS);
                assertEquals(200, o.statusCode());
                assertEquals("slept 100\n", o.body());
            }
            for (int i = 0; i < 8; i++) {
                assertEquals(200, get(port, "/?ms=10").get(10, TimeUnit.SECONDS).statusCode(),
                        "every thread serves again after the stuck one was replaced");
            }
            String status = GatehouseProcess.command(dir, "status", "--json", "-s", dir.resolve("c.sock").toString())
                    .stdout();
            assertTrue(status.contains("\"harakiri\":1"), status);
            assertTrue(server.output().contains("harakiri: app 'slow' worker"), server.output());
        }
    }

    @Test
    void maxRequestsRecyclesWorkersUnderLoadWithoutFailingARequest() throws Exception {
        int port = FreePort.pick();
        try (GatehouseProcess server = GatehouseProcess.start(dir, """
                master: {control-socket: %s}
                listeners: [{protocol: http, bind: "127.0.0.1:%d"}]
                apps:
                  - name: hello
                    runtime: jvm
                    class: io.gatehouse.examples.hello.HelloApp
                    classpath: [%s]
                    workers: 2
                    threads: 4
                    max-requests: 500
                """.formatted(dir.resolve("c.sock"), port, GatehouseProcess.exampleClasses()));
                Wrk wrk = Wrk.start(dir, "http://127.0.0.1:" + port + "/", 2, 8, 5)) {
            Wrk.Result r = wrk.await();
            assertEquals(0, r.non2xx(), r.output());
            assertEquals(0, r.socketErrors(), r.output());
            long recycled = LogLines.count(server.output(), "served max-requests 500; recycling it");
            assertTrue(recycled >= r.requests() / 500 - 2 && recycled > 2, recycled + " recycles for " + r.requests()
                    + " requests:\n" + server.output());
            String status = GatehouseProcess.command(dir, "status", "--json", "-s", dir.resolve("c.sock").toString())
                    .stdout();
            assertTrue(status.contains("\"recycles\":" + recycled), status);
        }
    }
}
