package io.gatehouse.tests.supervision;

import static io.gatehouse.tests.support.LogLines.count;
import static io.gatehouse.tests.support.ReloadsUnderLoad.LOAD_SECONDS;
import static io.gatehouse.tests.support.ReloadsUnderLoad.RELOADS;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gatehouse.tests.python.PythonApps;
import io.gatehouse.tests.support.Await;
import io.gatehouse.tests.support.FreePort;
import io.gatehouse.tests.support.GatehouseProcess;
import io.gatehouse.tests.support.ReloadsUnderLoad;
import io.gatehouse.tests.support.Wrk;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ReloadsUnderLoad} against a python app: ten reloads that replace every worker (and the fork server) while
 * wrk keeps 16 connections busy; not one request fails, not one connection breaks. Five reloads are graceful
 * (SIGHUP), five chain ({@code gatehouse reload}); each changes the app's {@code threads}, so its workers are
 * replaced by a new generation, which imports the app afresh.
 */
class PythonReloadUnderLoadTest {
    @TempDir
    Path dir;

    /** The supervised WSGI app, two workers of {@code threads} threads. */
    static String helloApp(int threads) {
        return PythonApps.app("hello", "/", PythonApps.module("supervised_app", "workers: 2\nthreads: " + threads));
    }

    @Test
    void tenReloadsOfAPythonAppUnderLoadFailNoRequest() throws Exception {
        int port = FreePort.pick();
        try (GatehouseProcess server = GatehouseProcess.start(dir,
                ReloadsUnderLoad.config(dir, port, "graceful", helloApp(2)));
                Wrk wrk = Wrk.start(dir, "http://127.0.0.1:" + port + "/?ms=1", 2, 16, LOAD_SECONDS)) {
            ReloadsUnderLoad.reloadTenTimes(dir, port, server, wrk, PythonReloadUnderLoadTest::helloApp);
            String log = server.output();
            assertEquals(RELOADS, count(log, "fork server pid") - 1, "a fork server per generation:\n" + log);
            Await.until("the old generations' fork servers to exit", Duration.ofSeconds(30),
                    () -> ProcessHandle.of(server.pid()).orElseThrow().children().count() == 1);
        }
    }
}
