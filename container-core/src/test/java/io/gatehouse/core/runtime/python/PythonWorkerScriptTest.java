package io.gatehouse.core.runtime.python;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs the worker script's own tests (src/test/python, plain unittest) with Debian's Python, as CPython runs the
 * script in production: the PEP 3333 side of requests, bodies, files and cancels, and the fork server.
 */
class PythonWorkerScriptTest {

    @Test
    void workerScriptPassesItsOwnTests() throws IOException, InterruptedException {
        Path tests = Path.of("src/test/python").toAbsolutePath();
        Path log = Files.createTempFile("worker-tests", ".log");
        try {
            Process p = new ProcessBuilder(python(), "-W", "error::ResourceWarning", "-m", "unittest", "-v",
                    "test_gatehouse_worker").directory(tests.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
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

    /** Debian's interpreter, the one the end-to-end tests run Flask and Django with; else python3 on PATH. */
    static String python() {
        return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    }
}
