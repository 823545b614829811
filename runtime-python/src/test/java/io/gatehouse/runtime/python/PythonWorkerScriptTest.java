package io.gatehouse.runtime.python;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs the worker script's own tests (src/test/python, plain unittest) as CPython runs the script in production:
 * the PEP 3333 side of requests, bodies, files and cancels, the fork server, the ASGI side (scopes, lanes served by
 * an event loop, lifespan), and what it refuses and guards against (test_worker_safety): heads that would split a
 * response, request vars in os.environ, orphaned processes. They run with Debian's Python,
 * and with every interpreter listed in {@code GATEHOUSE_TEST_PYTHONS} (colon-separated paths, e.g. a 3.9 to hold
 * the oldest supported version).
 */
class PythonWorkerScriptTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("interpreters")
    void workerScriptPassesItsOwnTests(String python) throws IOException, InterruptedException {
        Path tests = Path.of("src/test/python").toAbsolutePath();
        Path log = Files.createTempFile("worker-tests", ".log");
        try {
            // every test_*.py, so a new test module cannot be left out; no bytecode written into the resources
            ProcessBuilder builder = new ProcessBuilder(python, "-W", "error::ResourceWarning", "-m", "unittest",
                    "discover", "-v", "-p", "test_*.py")
                    .directory(tests.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
            Process p = builder.start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), output);
        } finally {
            Files.deleteIfExists(log);
        }
    }

    static List<String> interpreters() {
        List<String> all = new ArrayList<>();
        all.add(Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3");
        String extra = System.getenv("GATEHOUSE_TEST_PYTHONS");
        if (extra != null) {
            for (String python : extra.split(":")) {
                if (!python.isBlank()) {
                    all.add(python.trim());
                }
            }
        }
        return all;
    }
}
