package io.gatehouse.tests.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.tests.support.Await;
import io.gatehouse.tests.support.FreePort;
import io.gatehouse.tests.support.GatehouseProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The master's stop signals against a real process: SIGTERM drains, SIGINT stops at once, and a signal its parent
 * ignored (SIGHUP under nohup) stays ignored, which the master says at start.
 */
class ShutdownTest {
    @TempDir
    Path dir;
    final HttpClient client = HttpClient.newHttpClient();

    GatehouseProcess start(int port) {
        return start(List.of(), port);
    }

    GatehouseProcess start(List<String> prefix, int port) {
        return GatehouseProcess.start(prefix, dir, """
                listeners:
                  - protocol: http
                    bind: 127.0.0.1:%d
                apps:
                  - name: slow
                    runtime: jvm
                    class: io.gatehouse.tests.apps.SlowApp
                    classpath: [%s]
                    threads: 2
                master:
                  shutdown-timeout: 20s
                """.formatted(port, Path.of("target/test-classes").toAbsolutePath()), Map.of());
    }

    CompletableFuture<HttpResponse<String>> slowRequest(int port, long ms) {
        return client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/?ms=" + ms))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void sigtermLetsTheRequestInFlightFinishThenExits0() throws Exception {
        int port = FreePort.pick();
        try (GatehouseProcess server = start(port)) {
            CompletableFuture<HttpResponse<String>> inFlight = slowRequest(port, 2000);
            Thread.sleep(500);
            server.signal("TERM");
            Await.until("the listener to close", Duration.ofSeconds(5), () -> !Await.listening(port));
            HttpResponse<String> r = inFlight.get(20, TimeUnit.SECONDS);
            assertEquals(200, r.statusCode());
            assertEquals("slept 2000\n", r.body());
            assertEquals(0, server.waitFor(Duration.ofSeconds(20)), server.output());
            assertTrue(server.output().contains("SIGTERM: draining"), server.output());
        }
    }

    @Test
    void sigintStopsAtOnce() throws Exception {
        int port = FreePort.pick();
        try (GatehouseProcess server = start(port)) {
            CompletableFuture<HttpResponse<String>> inFlight = slowRequest(port, 10_000);
            Thread.sleep(500);
            long t0 = System.nanoTime();
            server.signal("INT");
            assertEquals(0, server.waitFor(Duration.ofSeconds(10)), server.output());
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5), "did not wait for the slow request");
            assertTrue(inFlight.handle((r, e) -> e != null || r.statusCode() != 200).get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void underNohupSighupStaysIgnoredAndTheMasterSaysSo() throws Exception {
        int port = FreePort.pick();
        try (GatehouseProcess server = start(List.of("nohup"), port)) {
            assertTrue(server.output().contains("SIGHUP was ignored by the process that started gatehouse"),
                    server.output());
            server.signal("HUP");
            Thread.sleep(1000);
            assertTrue(server.process().isAlive(), server.output());
            assertFalse(server.output().contains("SIGHUP: reloading"), server.output());
            server.signal("TERM");
            assertEquals(0, server.waitFor(Duration.ofSeconds(20)), server.output());
        }
    }
}
