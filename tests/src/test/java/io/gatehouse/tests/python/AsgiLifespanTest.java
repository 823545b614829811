package io.gatehouse.tests.python;

import static io.gatehouse.tests.support.LogLines.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.tests.support.Await;
import io.gatehouse.tests.support.ControlStatus;
import io.gatehouse.tests.support.FreePort;
import io.gatehouse.tests.support.GatehouseProcess;
import io.gatehouse.tests.support.GatehouseYaml;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ASGI lifespan of Debian's FastAPI app under supervision: each worker runs the startup before it serves and the
 * shutdown when a reload retires it or the server stops; a startup that fails makes a crashing app, answered 503 with
 * Retry-After while the pool backs off, its failure logged once.
 */
class AsgiLifespanTest {
    @TempDir
    Path dir;

    private String fastapi(String name, String mount, String env) {
        return PythonApps.app(name, mount, env, "module: fastapi_app:app\nchdir: " + PythonApps.dir()
                + "\nworkers: 2");
    }

    private boolean marked(String what, long pid) {
        return Files.exists(dir.resolve("marks").resolve(what + "-" + pid));
    }

    @Test
    void runsTheShutdownOfEachWorkerWhenAReloadRetiresItAndWhenTheServerStops() throws Exception {
        int port = FreePort.pick();
        Path control = dir.resolve("control.sock");
        Files.createDirectories(dir.resolve("marks"));
        String app = fastapi("fastapi", "/", "ASGI_MARKS: \"" + dir.resolve("marks") + "\"");
        List<Long> first;
        List<Long> second;
        try (GatehouseProcess server = GatehouseProcess.start(dir, "master: {control-socket: " + control + "}\n"
                + GatehouseYaml.httpSite(port, app))) {
            first = ControlStatus.readyPids(control, "fastapi");
            assertEquals(2, first.size(), first.toString());
            for (long pid : first) {
                assertTrue(marked("startup", pid), "startup ran in " + pid);
                assertTrue(!marked("shutdown", pid), "no shutdown yet in " + pid);
            }
            GatehouseProcess.Outcome o = GatehouseProcess.command(dir, "reload", "-s", control.toString(), "--app",
                    "fastapi");
            assertEquals(0, o.status(), o.stdout() + o.stderr());
            Await.until("the retired workers' shutdown", Duration.ofSeconds(30),
                    () -> first.stream().allMatch(pid -> marked("shutdown", pid)));
            second = ControlStatus.readyPids(control, "fastapi");
            assertTrue(second.stream().noneMatch(first::contains), first + " then " + second);
            assertEquals(200, PythonApps.get(port, "/").statusCode());
        }
        for (long pid : second) {
            assertTrue(marked("startup", pid) && marked("shutdown", pid), "startup and shutdown ran in " + pid);
        }
    }

    @Test
    void aFailingStartupIsACrashingAppAnswered503WithRetryAfter() throws Exception {
        int port = FreePort.pick();
        String apps = fastapi("broken", "/broken", "ASGI_FAIL_STARTUP: \"1\"")
                + PythonApps.app("hello", "/", PythonApps.module("supervised_asgi_app", "workers: 1"));
        try (GatehouseProcess server = GatehouseProcess.start(dir, GatehouseYaml.httpSite(port, apps))) {
            Await.until("the second failed start", Duration.ofSeconds(30),
                    () -> server.output().contains("app 'broken' keeps crashing: 2 failed starts"));
            HttpResponse<String> r = PythonApps.get(port, "/broken/");
            assertEquals(503, r.statusCode(), r.body());
            long retryAfter = Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow());
            assertTrue(retryAfter >= 1 && retryAfter <= 4, "Retry-After: " + retryAfter);
            assertEquals(200, PythonApps.get(port, "/").statusCode(), "the other app serves");
            String log = server.output();
            assertEquals(1, count(log, "app 'broken' failed to load:\nlifespan startup failed: Traceback"), log);
            assertEquals(1, count(log, "\nRuntimeError: the database is not there\n"), "one traceback:\n" + log);
            assertTrue(log.contains("failed to start (exit status 78: RuntimeError: the database is not there)"),
                    log);
        }
    }
}
