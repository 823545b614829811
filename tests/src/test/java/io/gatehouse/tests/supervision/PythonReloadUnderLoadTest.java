package io.gatehouse.tests.supervision;

import static io.gatehouse.tests.support.LogLines.count;
import static io.gatehouse.tests.support.ReloadsUnderLoad.LOAD_SECONDS;
import static io.gatehouse.tests.support.ReloadsUnderLoad.RELOADS;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gatehouse.tests.python.SupervisedApp;
import io.gatehouse.tests.support.Await;
import io.gatehouse.tests.support.FreePort;
import io.gatehouse.tests.support.GatehouseProcess;
import io.gatehouse.tests.support.ReloadsUnderLoad;
import io.gatehouse.tests.support.Wrk;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.IntFunction;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link ReloadsUnderLoad} against a python app, WSGI and ASGI: ten reloads that replace every worker (and the fork
 * server) while wrk keeps 16 connections busy; not one request fails, not one connection breaks. Five reloads are
 * graceful (SIGHUP), five chain ({@code gatehouse reload}); each changes the app's threads (an ASGI app's
 * concurrency), so its workers are replaced by a new generation, which imports the app afresh.
 */
class PythonReloadUnderLoadTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(SupervisedApp.class)
    void tenReloadsOfAPythonAppUnderLoadFailNoRequest(SupervisedApp kind) throws Exception {
        int port = FreePort.pick();
        IntFunction<String> helloApp = lanes -> kind.app("hello", "/", lanes, "workers: 2");
        try (GatehouseProcess server = GatehouseProcess.start(dir,
                ReloadsUnderLoad.config(dir, port, "graceful", helloApp.apply(2)));
                Wrk wrk = Wrk.start(dir, "http://127.0.0.1:" + port + "/?ms=1", 2, 16, LOAD_SECONDS)) {
            ReloadsUnderLoad.reloadTenTimes(dir, port, server, wrk, helloApp);
            String log = server.output();
            assertEquals(RELOADS, count(log, "fork server pid") - 1, "a fork server per generation:\n" + log);
            Await.until("the old generations' fork servers to exit", Duration.ofSeconds(30),
                    () -> ProcessHandle.of(server.pid()).orElseThrow().children().count() == 1);
        }
    }
}
