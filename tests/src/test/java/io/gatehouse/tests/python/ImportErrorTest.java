package io.gatehouse.tests.python;

import static io.gatehouse.tests.python.PythonApps.count;
import static io.gatehouse.tests.python.PythonApps.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.tests.support.Await;
import io.gatehouse.tests.support.FreePort;
import io.gatehouse.tests.support.GatehouseProcess;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * An app that fails to import: one clear error with its traceback, 503 with Retry-After meanwhile, respawns spaced
 * by the pool's backoff (never a tight loop), and recovery at the next attempt once the module is fixed.
 */
class ImportErrorTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "preload: {0}")
    @ValueSource(booleans = {false, true})
    void brokenAppIsReportedOnceAnswered503AndRetriedWithBackoff(boolean preload) throws IOException {
        Path code = Files.createDirectories(dir.resolve("code"));
        Files.writeString(code.resolve("broken.py"), "import json\nimport module_that_is_not_installed\n");
        int port = FreePort.pick();
        try (GatehouseProcess server = GatehouseProcess.start(dir, PythonApps.config(port, PythonApps.app("broken", "/",
                "module: broken\nchdir: " + code + "\npreload: " + preload)))) {
            Await.until("two failed attempts", Duration.ofSeconds(30),
                    () -> count(server.output(), "app 'broken' worker 1 failed to start") >= 2);
            HttpResponse<String> r = get(port, "/");
            assertEquals(503, r.statusCode());
            assertEquals("1", r.headers().firstValue("retry-after").orElseThrow());

            String log = server.output();
            assertEquals(1, count(log, "app 'broken' failed to load:\nTraceback (most recent call last):"), log);
            assertEquals(1, count(log, "ModuleNotFoundError: No module named 'module_that_is_not_installed'\n"),
                    "the traceback once; the retries name the error on their own line:\n" + log);
            assertTrue(log.contains("app 'broken' worker 1 failed to start (exit status 78: ModuleNotFoundError: No "
                    + "module named 'module_that_is_not_installed'); attempt 2, retrying in 2000 ms"), log);

            Files.writeString(code.resolve("broken.py"), """
                    def application(environ, start_response):
                        start_response('200 OK', [('Content-Type', 'text/plain')])
                        return [b'fixed\\n']
                    """);
            Await.until("the fixed app", Duration.ofSeconds(60), () -> get(port, "/").statusCode() == 200);
            assertEquals("fixed\n", get(port, "/").body());
            assertTrue(count(server.output(), "failed to start") <= 5, "bounded attempts:\n" + server.output());
        }
    }
}
