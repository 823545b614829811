package io.gatehouse.tests.python;

import static io.gatehouse.tests.support.LogLines.count;
import static io.gatehouse.tests.python.PythonApps.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.tests.support.Await;
import io.gatehouse.tests.support.FreePort;
import io.gatehouse.tests.support.GatehouseProcess;
import io.gatehouse.tests.support.GatehouseYaml;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * An app that fails to import: one clear error with its traceback, then one line per retry; 503 with Retry-After
 * (the seconds until the next attempt) meanwhile; workers started together that fail together count as one attempt,
 * spaced by the pool's backoff (never a tight loop); recovery at the next attempt once the module is fixed.
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
        try (GatehouseProcess server = GatehouseProcess.start(dir, GatehouseYaml.httpSite(port, PythonApps.app("broken", "/",
                "module: broken\nchdir: " + code + "\npreload: " + preload)))) {
            String error = "(exit status 78: ModuleNotFoundError: No module named 'module_that_is_not_installed')";
            Await.until("two failed attempts", Duration.ofSeconds(30),
                    () -> server.output().contains("app 'broken' keeps crashing: 2 failed starts"));
            HttpResponse<String> r = get(port, "/");
            assertEquals(503, r.statusCode());
            // The seconds until the next attempt: 2 after the second failure (4 after a third, on a slow machine).
            long retryAfter = Long.parseLong(r.headers().firstValue("retry-after").orElseThrow());
            assertTrue(retryAfter >= 1 && retryAfter <= 4, "Retry-After: " + retryAfter);

            String log = server.output();
            assertEquals(1, count(log, "app 'broken' failed to load:\nTraceback (most recent call last):"), log);
            assertEquals(1, count(log, "\nModuleNotFoundError: No module named 'module_that_is_not_installed'\n"),
                    "the traceback once; the retries (and the boot summary) name the error within a line:\n" + log);
            assertTrue(Pattern.compile("app 'broken' worker 1( \\(pid \\d+\\))? failed to start "
                    + Pattern.quote(error) + "; retrying in 1 s\n").matcher(log).find(), log);
            assertTrue(log.contains("app 'broken' keeps crashing: 2 failed starts, next attempt in 2 s " + error), log);

            Files.writeString(code.resolve("broken.py"), """
                    def application(environ, start_response):
                        start_response('200 OK', [('Content-Type', 'text/plain')])
                        return [b'fixed\\n']
                    """);
            Await.until("the fixed app", Duration.ofSeconds(60), () -> get(port, "/").statusCode() == 200);
            assertEquals("fixed\n", get(port, "/").body());
            log = server.output();
            assertTrue(log.contains("app 'broken' starts again after "), log);
            assertTrue(count(log, "failed to start (") + count(log, "app 'broken' keeps crashing") <= 5,
                    "bounded attempts:\n" + log);
        }
    }
}
