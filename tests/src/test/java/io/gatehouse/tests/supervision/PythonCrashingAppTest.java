package io.gatehouse.tests.supervision;

import static io.gatehouse.tests.support.LogLines.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.tests.python.PythonApps;
import io.gatehouse.tests.support.BrokenAppWatch;
import io.gatehouse.tests.support.ControlStatus;
import io.gatehouse.tests.support.FreePort;
import io.gatehouse.tests.support.GatehouseProcess;
import io.gatehouse.tests.support.GatehouseYaml;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link CrashingAppTest} with a python app that raises at import, four lazy workers: one clear error (one
 * traceback), one line per retry, a bounded number of attempts (the four workers of the first round fail as one
 * attempt; then one worker after 1, 2, 4 and 8 s; the sixth only 16 s after the fifth, so five in the first 30 s),
 * 503 with Retry-After meanwhile, and the other python app serving throughout.
 */
class PythonCrashingAppTest {
    @TempDir
    Path dir;

    @Test
    void aPythonAppThatRaisesAtImportIsRetriedBoundedWhileTheOtherAppServes() throws Exception {
        int port = FreePort.pick();
        String apps = PythonApps.app("broken", "/broken", PythonApps.module("import_failure_app", "workers: 4"))
                + PythonApps.app("hello", "/", PythonApps.module("supervised_app", "workers: 2"));
        try (GatehouseProcess server = GatehouseProcess.start(dir, "master: {control-socket: " + dir.resolve("c.sock")
                + "}\n" + GatehouseYaml.httpSite(port, apps))) {
            List<Long> retryAfter = BrokenAppWatch.watch(port);
            assertTrue(retryAfter.size() > 20, "served " + retryAfter.size());
            assertTrue(retryAfter.stream().allMatch(r -> r >= 1 && r <= 16), "Retry-After: " + retryAfter);
            JsonNode app = ControlStatus.read(dir.resolve("c.sock")).path("apps").get(0);
            assertEquals("crashing", app.path("state").asText(), app.toString());
            assertEquals(5, app.path("failing_starts").asInt(), app.toString());
            // Observed for 20 s since ready (after the first failure): the sixth attempt is not within 30 s.
            assertTrue(app.path("next_attempt_ms").asLong() > 30_000 - BrokenAppWatch.SECONDS * 1000,
                    app.toString());
            String log = server.output();
            assertEquals(1, count(log, "app 'broken' failed to load:\nTraceback (most recent call last):"), log);
            assertEquals(1, count(log, "\nRuntimeError: deliberate failure at import\n"), "one traceback:\n" + log);
            assertEquals(1, count(log, "in connect_to_database\n"), "one traceback:\n" + log);
            assertEquals(1, count(log, "failed to start (exit status 78: RuntimeError: deliberate failure at import)"),
                    log);
            assertEquals(4, count(log, "app 'broken' keeps crashing: "), log);
            assertTrue(log.contains("app 'broken' keeps crashing: 5 failed starts, next attempt in 16 s (exit status "
                    + "78: RuntimeError: deliberate failure at import)"), log);
            assertEquals(0, count(log, "app 'hello'") - count(log, "app 'hello': fork server pid")
                    - count(log, "app 'hello' runs as root"),
                    "nothing about the other app but its fork server:\n" + log);
            String status = GatehouseProcess.command(dir, "status", "-s", dir.resolve("c.sock").toString()).stdout();
            assertTrue(status.contains("broken (python at /broken): crashing - 5 failed start(s), next attempt in"),
                    status);
            assertTrue(status.contains("hello (python at /): ready"), status);
        }
    }
}
