package io.gatehouse.tests.supervision;

import static io.gatehouse.tests.support.LogLines.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.tests.python.SupervisedApp;
import io.gatehouse.tests.support.Await;
import io.gatehouse.tests.support.ControlStatus;
import io.gatehouse.tests.support.FreePort;
import io.gatehouse.tests.support.GatehouseProcess;
import io.gatehouse.tests.support.GatehouseYaml;
import io.gatehouse.tests.support.LoggedProcess;
import io.gatehouse.tests.support.Wrk;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * SIGKILL of a random ready python worker every second for 20 s while wrk keeps 16 connections busy: only the killed
 * workers' in-flight requests fail (at most its threads, or an ASGI worker's concurrency, per kill, answered 502),
 * every other request succeeds, and each killed worker is replaced at once (not held back as a failed start). The
 * ASGI workers' concurrency is such that the four of them hold the 16 connections' requests together.
 */
class PythonWorkerKillTest {
    static final int KILL_SECONDS = 20;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(SupervisedApp.class)
    void killingARandomWorkerEverySecondFailsOnlyItsInFlightRequests(SupervisedApp kind) throws Exception {
        int port = FreePort.pick();
        Path control = dir.resolve("control.sock");
        Random random = new Random(7);
        List<Long> killed = new ArrayList<>();
        int lanes = kind == SupervisedApp.WSGI ? 2 : 4;
        String app = kind.app("victim", "/", lanes, "preload: true\nworkers: 4");
        try (GatehouseProcess server = GatehouseProcess.start(dir, "master: {control-socket: " + control + "}\n"
                + GatehouseYaml.httpSite(port, app));
                Wrk wrk = Wrk.start(dir, "http://127.0.0.1:" + port + "/?ms=5", 2, 16, KILL_SECONDS + 2)) {
            Thread.sleep(1000);
            long end = System.nanoTime() + KILL_SECONDS * 1_000_000_000L;
            while (System.nanoTime() < end) {
                long next = System.nanoTime() + 1_000_000_000L;
                List<Long> ready = ControlStatus.readyPids(control, "victim");
                if (!ready.isEmpty()) {
                    long pid = ready.get(random.nextInt(ready.size()));
                    LoggedProcess.signal(pid, "KILL");
                    killed.add(pid);
                }
                Thread.sleep(Math.max(0, (next - System.nanoTime()) / 1_000_000));
            }
            Wrk.Result r = wrk.await();
            System.out.println("wrk while " + killed.size() + " python workers were killed:\n" + r.output());
            assertTrue(killed.size() >= KILL_SECONDS - 2, "a kill about every second: " + killed);
            assertTrue(r.requests() > 1000, r.output());
            long failed = r.non2xx() + r.socketErrors();
            assertTrue(failed <= (long) killed.size() * lanes, failed + " failed requests for " + killed.size()
                    + " kills of workers running at most " + lanes + " each:\n" + r.output());
            assertEquals(0, r.socketErrors(), "a killed worker's request is answered 502, its connection kept:\n"
                    + r.output());
            server.assertAlive();
            String log = server.output();
            for (long pid : killed) {
                assertTrue(log.contains("(pid " + pid + ") died (exit status 137: killed by signal 9); replacing it"),
                        pid + " was replaced:\n" + log);
            }
            assertEquals(0, count(log, "failed to start") + count(log, "keeps crashing"), log);
            Await.until("all four workers to serve again", Duration.ofSeconds(30),
                    () -> ControlStatus.readyPids(control, "victim").size() == 4);
        }
    }
}
