package io.gatehouse.tests.support;

import static io.gatehouse.tests.support.LogLines.count;
import static io.gatehouse.tests.support.LogLines.problems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.IntFunction;

/**
 * Ten reloads that replace every worker of an app while wrk keeps the server busy, and the checks that not one
 * request failed: the first half graceful (SIGHUP), the rest chained ({@code gatehouse reload}).
 */
public final class ReloadsUnderLoad {
    /** A minute of load with a reload about every six seconds, as issue 7 asks. */
    public static final int LOAD_SECONDS = 60;
    public static final int RELOADS = 10;

    private ReloadsUnderLoad() {
    }

    /** A config with the control socket in {@code dir}, reload {@code mode}, an HTTP listener and {@code apps}. */
    public static String config(Path dir, int port, String mode, String apps) {
        return "master:\n  reload: " + mode + "\n  control-socket: " + dir.resolve("control.sock") + "\n"
                + GatehouseYaml.httpSite(port, apps);
    }

    /**
     * Reloads {@code server} {@link #RELOADS} times while {@code wrk} runs, spread over its {@link #LOAD_SECONDS}:
     * each reload writes the config anew with the app (made by {@code app} for a number of threads, or an ASGI
     * app's concurrency) given another number, so its workers are replaced. Then asserts that not one request failed, not one connection broke,
     * every reload made a generation, and nothing was logged as a warning.
     */
    public static void reloadTenTimes(Path dir, int port, GatehouseProcess server, Wrk wrk, IntFunction<String> app)
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
                assertTrue(o.stdout().contains("replaced: hello ("), o.stdout());
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
        assertEquals(0, problems(log), log);
    }
}
