package io.gatehouse.tests.supervision;

import static io.gatehouse.tests.support.LogLines.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.tests.support.BrokenAppWatch;
import io.gatehouse.tests.support.FreePort;
import io.gatehouse.tests.support.GatehouseProcess;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An app that fails at load (its init throws, as a Python app raising at import): one clear error with its stack
 * trace, then one line per retry; retries back off (1, 2, 4, 8, 16 s: five attempts in the first 30 s, the sixth
 * at 31 s); requests get 503 with Retry-After; the other app serves throughout.
 */
class CrashingAppTest {
    @TempDir
    Path dir;

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
            assertTrue(BrokenAppWatch.watch(port).size() > 20);
            String log = server.output();
            assertEquals(1, count(log, "FailsInitApp.init(FailsInitApp.java"),
                    "one stack trace:\n" + log);
            assertEquals(1, count(log, "app 'broken' failed to load"), log);
            assertEquals(1, count(log, "failed to start (exit status 78"), log);
            assertEquals(4, count(log, "app 'broken' keeps crashing: "), log);
            assertTrue(log.contains("app 'broken' keeps crashing: 5 failed starts, next attempt in 16 s"), log);
            String status = GatehouseProcess.command(dir, "status", "-s", dir.resolve("c.sock").toString()).stdout();
            assertTrue(status.contains("broken (jvm at /broken): crashing - 5 failed start(s), next attempt in"),
                    status);
            assertTrue(status.contains("hello (jvm at /): ready"), status);
        }
    }
}
