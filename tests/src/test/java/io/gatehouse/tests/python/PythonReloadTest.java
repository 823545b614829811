package io.gatehouse.tests.python;

import static io.gatehouse.tests.python.PythonApps.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.tests.support.Await;
import io.gatehouse.tests.support.FreePort;
import io.gatehouse.tests.support.GatehouseProcess;
import io.gatehouse.tests.support.GatehouseYaml;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reloads of python apps. A changed app (here its {@code env}) gets a new fork server and workers; no request fails
 * and the old processes all exit. ({@link PythonCodeReloadTest} has the reloads that load new code.)
 */
class PythonReloadTest {
    @TempDir
    static Path dir;
    static GatehouseProcess server;
    static int port;

    static String config(String generation) {
        return GatehouseYaml.httpSite(port, PythonApps.app("reloaded", "/", "GENERATION: \"" + generation + "\"",
                PythonApps.lifecycleApp("workers: 2")));
    }

    @BeforeAll
    static void start() {
        port = FreePort.pick();
        server = GatehouseProcess.start(dir, config("1"));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static long pid(String path) {
        return Long.parseLong(get(port, path).body().split(" ")[0].trim());
    }

    static long parent(long pid) {
        return ProcessHandle.of(pid).flatMap(ProcessHandle::parent).orElseThrow().pid();
    }

    @Test
    void aChangedAppGetsNewWorkersAndForkServerWithoutFailingARequest() throws Exception {
        long oldWorker = pid("/pid");
        long oldForkServer = parent(oldWorker);
        AtomicBoolean loading = new AtomicBoolean(true);
        AtomicInteger served = new AtomicInteger();
        List<String> failures = new CopyOnWriteArrayList<>();
        Thread load = new Thread(() -> {
            while (loading.get() && served.get() < 100_000) {
                HttpResponse<String> r = get(port, "/sleep?ms=5");
                if (r.statusCode() != 200) {
                    failures.add(r.statusCode() + " " + r.body());
                }
                served.incrementAndGet();
            }
        });
        load.start();
        try {
            Await.until("some load", Duration.ofSeconds(30), () -> served.get() > 20);
            GatehouseProcess.write(dir, "gatehouse.yaml", config("2"));
            server.signal("HUP");
            Await.until("the reload", Duration.ofSeconds(60),
                    () -> server.output().contains("reloaded: replaced: reloaded (runtime options)"));
            int atReload = served.get();
            Await.until("load after the reload", Duration.ofSeconds(30), () -> served.get() > atReload + 20);
        } finally {
            loading.set(false);
            load.join(30_000);
        }
        assertEquals(List.of(), failures);
        assertTrue(server.output().contains("app 'reloaded': workers replaced by generation 2 (2 ready)"),
                server.output());
        Await.until("the old fork server to exit", Duration.ofSeconds(30),
                () -> ProcessHandle.of(oldForkServer).map(p -> !p.isAlive()).orElse(true));
        assertTrue(ProcessHandle.of(oldWorker).map(p -> !p.isAlive()).orElse(true), "the old worker exited");
        long newWorker = pid("/pid");
        assertTrue(newWorker != oldWorker && parent(newWorker) != oldForkServer, "served by the new generation");
        assertEquals("2\n", get(port, "/env?name=GENERATION").body());
    }
}
