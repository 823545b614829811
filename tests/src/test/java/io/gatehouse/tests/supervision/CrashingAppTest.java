package io.gatehouse.tests.supervision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.tests.support.FreePort;
import io.gatehouse.tests.support.GatehouseProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An app that fails at load (its init throws, as a Python app raising at import): one clear error with its stack
 * trace, then one line per retry; retries back off (1, 2, 4, 8, 16 s: five attempts in the first 30 s, the sixth
 * at 31 s); requests get 503 with Retry-After; the other app serves throughout.
 */
class CrashingAppTest {
    /** Observing 20 s covers the attempts at 0, 1, 3, 7 and 15 s and stays far from the 6th, at 31 s. */
    static final int OBSERVE_SECONDS = 20;

    @TempDir
    Path dir;

    /**
     * For {@link #OBSERVE_SECONDS}, every 200 ms: GET / must answer 200 (the other app serves), GET /broken 503 with
     * a Retry-After. Returns each Retry-After, in seconds.
     */
    static List<Long> observe(int port) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        List<Long> retryAfter = new ArrayList<>();
        long end = System.nanoTime() + Duration.ofSeconds(OBSERVE_SECONDS).toNanos();
        while (System.nanoTime() < end) {
            HttpResponse<String> ok = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ok.statusCode(), "the other app is unaffected");
            HttpResponse<String> broken = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + port + "/broken")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(503, broken.statusCode());
            retryAfter.add(Long.parseLong(broken.headers().firstValue("Retry-After").orElseThrow()));
            Thread.sleep(200);
        }
        return retryAfter;
    }

    @Test
    void anAppThatFailsToLoadIsRetriedBoundedWhileTheOtherAppServes() throws Exception {
        int port = FreePort.pick();
        try (GatehouseProcess server = GatehouseProcess.start(dir, """
                master: {control-socket: %s}
                listeners: [{protocol: http, bind: "127.0.0.1:%d"}]
                apps:
                  - name: broken
                    runtime: jvm
                    mount: /broken
                    class: io.gatehouse.tests.apps.FailsInitApp
                    classpath: [%s]
                    workers: 4
                  - name: hello
                    runtime: jvm
                    class: io.gatehouse.examples.hello.HelloApp
                    classpath: [%s]
                """.formatted(dir.resolve("c.sock"), port, Path.of("target/test-classes").toAbsolutePath(),
                GatehouseProcess.exampleClasses()))) {
            assertTrue(observe(port).size() > 20);
            String log = server.output();
            assertEquals(1, ReloadUnderLoadTest.count(log, "FailsInitApp.init(FailsInitApp.java"),
                    "one stack trace:\n" + log);
            assertEquals(1, ReloadUnderLoadTest.count(log, "app 'broken' failed to load"), log);
            assertEquals(1, ReloadUnderLoadTest.count(log, "failed to start (exit status 78"), log);
            assertEquals(4, ReloadUnderLoadTest.count(log, "app 'broken' keeps crashing: "), log);
            assertTrue(log.contains("app 'broken' keeps crashing: 5 failed starts, next attempt in 16 s"), log);
            String status = GatehouseProcess.command(dir, "status", "-s", dir.resolve("c.sock").toString()).stdout();
            assertTrue(status.contains("broken (jvm at /broken): crashing - 5 failed start(s), next attempt in"),
                    status);
            assertTrue(status.contains("hello (jvm at /): ready"), status);
        }
    }
}
