package io.gatehouse.tests.supervision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.tests.python.PythonApps;
import io.gatehouse.tests.support.Await;
import io.gatehouse.tests.support.FreePort;
import io.gatehouse.tests.support.GatehouseProcess;
import io.gatehouse.tests.support.Wrk;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ten reloads that replace every worker of a JVM app while wrk keeps 16 connections busy: not one request fails,
 * not one connection breaks. Five reloads are graceful (SIGHUP), five chain ({@code gatehouse reload}).
 */
class ReloadUnderLoadTest {
    /** A minute of load with a reload about every six seconds, as issue 7 asks. */
    static final int LOAD_SECONDS = 60;
    static final int RELOADS = 10;

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

    /** A config with the control socket in {@code dir}, reload {@code mode}, an HTTP listener and {@code apps}. */
    static String config(Path dir, int port, String mode, String apps) {
        return "master:\n  reload: " + mode + "\n  control-socket: " + dir.resolve("control.sock") + "\n"
                + PythonApps.config(port, apps);
    }

    @Test
    void tenReloadsUnderLoadFailNoRequest() throws Exception {
        int port = FreePort.pick();
        try (GatehouseProcess server = GatehouseProcess.start(dir, config(dir, port, "graceful", helloApp(2)));
                Wrk wrk = Wrk.start(dir, "http://127.0.0.1:" + port + "/", 2, 16, LOAD_SECONDS)) {
            reloadTenTimes(dir, port, server, wrk, ReloadUnderLoadTest::helloApp);
        }
    }

    /**
     * Reloads {@code server} {@link #RELOADS} times while {@code wrk} runs, spread over its {@link #LOAD_SECONDS}:
     * each reload writes the config anew with the app (made by {@code app} for a number of threads) given other
     * {@code threads} (so its workers are replaced), the
     * first half by SIGHUP, the rest as chain reloads by {@code gatehouse reload}. Then asserts that not one request
     * failed, not one connection broke, every reload made a generation, and nothing was logged as a warning.
     */
    static void reloadTenTimes(Path dir, int port, GatehouseProcess server, Wrk wrk, IntFunction<String> app)
            throws Exception {
        Thread.sleep(1000);
        long pause = (LOAD_SECONDS - 3) * 1000L / RELOADS;
        for (int i = 1; i <= RELOADS; i++) {
            long began = System.nanoTime();
            boolean chain = i > RELOADS / 2;
            GatehouseProcess.write(dir, "gatehouse.yaml", config(dir, port, chain ? "chain" : "graceful",
                    app.apply(2 + i % 2)));
            if (chain) {
                GatehouseProcess.Outcome o = GatehouseProcess.command(dir, "reload", "-s",
                        dir.resolve("control.sock").toString());
                assertEquals(0, o.status(), o.stderr());
                assertTrue(o.stdout().contains("replaced: hello (threads"), o.stdout());
            } else {
                server.signal("HUP");
                // A SIGHUP during a reload waits for it and then reads the newest file: one reload for two signals.
                // Each of the ten must replace the workers, so the next waits for this one.
                String replaced = "workers replaced by generation " + (i + 1);
                Await.until("reload " + i, Duration.ofSeconds(30), () -> server.output().contains(replaced));
            }
            Thread.sleep(Math.max(0, pause - (System.nanoTime() - began) / 1_000_000));
        }
        Wrk.Result r = wrk.await();
        System.out.println("wrk during " + RELOADS + " reloads:\n" + r.output());
        assertTrue(r.requests() > 1000, r.output());
        assertEquals(0, r.non2xx(), r.output());
        assertEquals(0, r.socketErrors(), r.output());
        server.assertAlive();
        String log = server.output();
        assertEquals(RELOADS, count(log, "workers replaced by generation"), log);
        assertTrue(log.contains("workers replaced by generation " + (RELOADS + 1)), log);
        assertEquals(0, count(log, "WARN") + count(log, "ERROR"), log);
    }

    static int count(String text, String what) {
        Matcher m = Pattern.compile(Pattern.quote(what)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
