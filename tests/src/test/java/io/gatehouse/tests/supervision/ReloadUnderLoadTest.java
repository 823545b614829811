package io.gatehouse.tests.supervision;

import io.gatehouse.tests.support.FreePort;
import io.gatehouse.tests.support.GatehouseProcess;
import io.gatehouse.tests.support.ReloadsUnderLoad;
import io.gatehouse.tests.support.Wrk;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ten reloads that replace every worker of a JVM app while wrk keeps 16 connections busy: not one request fails,
 * not one connection breaks. Five reloads are graceful (SIGHUP), five chain ({@code gatehouse reload}).
 */
class ReloadUnderLoadTest {
    @TempDir
    Path dir;

    /** The JVM hello app, two workers of {@code threads} threads. */
    static String helloApp(int threads) {
        return """
                - name: hello
                  runtime: jvm
                  class: io.gatehouse.examples.hello.HelloApp
                  classpath: [%s]
                  workers: 2
                  threads: %d
                """.formatted(GatehouseProcess.exampleClasses(), threads);
    }

    @Test
    void tenReloadsUnderLoadFailNoRequest() throws Exception {
        int port = FreePort.pick();
        try (GatehouseProcess server = GatehouseProcess.start(dir, ReloadsUnderLoad.config(dir, port, "graceful",
                helloApp(2)));
                Wrk wrk = Wrk.start(dir, "http://127.0.0.1:" + port + "/", 2, 16, ReloadsUnderLoad.LOAD_SECONDS)) {
            ReloadsUnderLoad.reloadTenTimes(dir, port, server, wrk, ReloadUnderLoadTest::helloApp);
        }
    }
}
