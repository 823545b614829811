package io.gatehouse.tests.python;

import static io.gatehouse.tests.python.PythonApps.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.tests.support.Await;
import io.gatehouse.tests.support.FreePort;
import io.gatehouse.tests.support.GatehouseProcess;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGHUP with a python app: a new fork server and workers take over, no request fails, the old ones all exit. */
class PythonReloadTest {
    @TempDir
    Path dir;

    @Test
    void reloadReplacesWorkersAndForkServerWithoutFailingARequest() throws Exception {
        int port = FreePort.pick();
        try (GatehouseProcess server = GatehouseProcess.start(dir, PythonApps.config(port,
                PythonApps.app("reloaded", "/", PythonApps.lifecycleApp("workers: 2"))))) {
            long oldWorker = Long.parseLong(get(port, "/pid").body().split(" ")[0]);
            long oldForkServer = ProcessHandle.of(oldWorker).flatMap(ProcessHandle::parent).orElseThrow().pid();
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
                server.signal("HUP");
                Await.until("the reload", Duration.ofSeconds(60), () -> server.output().contains("reloaded; apps:"));
                int atReload = served.get();
                Await.until("load after the reload", Duration.ofSeconds(30), () -> served.get() > atReload + 20);
            } finally {
                loading.set(false);
                load.join(30_000);
            }
            assertEquals(List.of(), failures);
            Await.until("the old fork server to exit", Duration.ofSeconds(30),
                    () -> ProcessHandle.of(oldForkServer).map(p -> !p.isAlive()).orElse(true));
            assertTrue(ProcessHandle.of(oldWorker).map(p -> !p.isAlive()).orElse(true), "the old worker exited");
            long newWorker = Long.parseLong(get(port, "/pid").body().split(" ")[0]);
            assertTrue(newWorker != oldWorker && ProcessHandle.of(newWorker).flatMap(ProcessHandle::parent)
                    .orElseThrow().pid() != oldForkServer, "served by the new generation");
        }
    }
}
