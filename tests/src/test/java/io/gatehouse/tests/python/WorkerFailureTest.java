package io.gatehouse.tests.python;

import static io.gatehouse.tests.python.PythonApps.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.tests.support.Await;
import io.gatehouse.tests.support.LoggedProcess;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Workers that die, hang, fail or lose their client: each failure costs only the request it touches. */
class WorkerFailureTest extends PythonServerCase {
    @Override
    String apps() {
        return PythonApps.app("load", "/load", PythonApps.lifecycleApp("workers: 2"))
                + PythonApps.app("hara", "/hara", PythonApps.lifecycleApp("harakiri: 1s"))
                + PythonApps.app("beat", "/beat", PythonApps.lifecycleApp("heartbeat: 1s"))
                + PythonApps.app("orphan", "/orphan", PythonApps.lifecycleApp(""));
    }

    long pid(String mount) {
        return Long.parseLong(get(port, mount + "/pid").body().split(" ")[0]);
    }

    @Test
    void sigkillOfOneWorkerUnderLoadFailsAtMostItsInFlightRequest() throws Exception {
        int clients = 8;
        int perClient = 60;
        AtomicInteger done = new AtomicInteger();
        List<String> failures = new CopyOnWriteArrayList<>();
        Set<Long> pidsBeforeKill = ConcurrentHashMap.newKeySet();
        Set<Long> pidsAfterKill = ConcurrentHashMap.newKeySet();
        AtomicInteger killedAt = new AtomicInteger(-1);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> runs = new java.util.ArrayList<>();
            for (int c = 0; c < clients; c++) {
                runs.add(pool.submit(() -> {
                    for (int i = 0; i < perClient; i++) {
                        try {
                            HttpResponse<String> r = get(port, "/load/sleep?ms=20");
                            if (r.statusCode() != 200) {
                                failures.add(r.statusCode() + " " + r.body().trim());
                            } else {
                                (killedAt.get() >= 0 ? pidsAfterKill : pidsBeforeKill)
                                        .add(Long.parseLong(r.body().trim()));
                            }
                        } catch (RuntimeException e) {
                            failures.add(e.toString());
                        }
                        done.incrementAndGet();
                    }
                    return null;
                }));
            }
            Await.until("a quarter of the load", Duration.ofSeconds(60), () -> done.get() >= clients * perClient / 4);
            long victim = Long.parseLong(get(port, "/load/sleep?ms=0").body().trim());
            LoggedProcess.signal(victim, "KILL");
            killedAt.set(done.get());
            for (Future<?> run : runs) {
                run.get(120, TimeUnit.SECONDS);
            }
            assertTrue(failures.size() <= 1, "more than the killed worker's one in-flight request failed: " + failures);
            assertTrue(failures.stream().allMatch(f -> f.startsWith("502")), failures.toString());
            Set<Long> replacements = new java.util.HashSet<>(pidsAfterKill);
            replacements.removeAll(pidsBeforeKill);
            assertEquals(1, replacements.size(), "one replacement served after the kill: " + pidsBeforeKill + " then "
                    + pidsAfterKill);
            assertTrue(server.output().contains("(pid " + victim + ") died (exit status 137: killed by signal 9); "
                    + "replacing it"), server.output());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void appExceptionAnswers500AndLogsTheTraceback() {
        HttpResponse<String> r = get(port, "/load/fail");
        assertEquals(500, r.statusCode());
        assertEquals("500 Internal Server Error\n", r.body());
        Await.until("the traceback", Duration.ofSeconds(10),
                () -> server.output().contains("RuntimeError: deliberate failure in the app"));
        String log = server.output();
        assertTrue(log.matches("(?s).*ERROR \\[PythonCall\\] app 'load' worker \\d \\(pid \\d+\\) on GET /load/fail "
                + "from 127\\.0\\.0\\.1:\\d+ failed:\nTraceback \\(most recent call last\\):\n.*"), log);
        assertEquals(200, get(port, "/load/pid").statusCode(), "the worker lives on");
    }

    @Test
    void harakiriAnswers504AndReplacesTheWorker() {
        long before = pid("/hara");
        HttpResponse<String> r = get(port, "/hara/sleep?ms=20000");
        assertEquals(504, r.statusCode());
        Await.until("a new worker", Duration.ofSeconds(30), () -> {
            HttpResponse<String> p = get(port, "/hara/pid");
            return p.statusCode() == 200 && Long.parseLong(p.body().split(" ")[0]) != before;
        });
        assertTrue(server.output().contains("harakiri: app 'hara' worker 1 (pid " + before + ") ran GET "
                + "/hara/sleep?ms=20000 for over 1000 ms"), server.output());
    }

    @Test
    void heartbeatReplacesAStoppedWorker() {
        long before = pid("/beat");
        LoggedProcess.signal(before, "STOP");
        try {
            Await.until("the stopped worker to be replaced", Duration.ofSeconds(30),
                    () -> server.output().contains("(pid " + before + ") did not answer a ping within heartbeat 1000 ms"));
            Await.until("a new worker", Duration.ofSeconds(30), () -> {
                HttpResponse<String> p = get(port, "/beat/pid");
                return p.statusCode() == 200 && Long.parseLong(p.body().split(" ")[0]) != before;
            });
        } finally {
            if (ProcessHandle.of(before).isPresent()) {
                LoggedProcess.signal(before, "CONT");
            }
        }
        assertTrue(ProcessHandle.of(before).map(p -> !p.isAlive()).orElse(true), "the stopped worker is gone");
    }

    @Test
    void aDeadForkServerIsReplacedAndItsWorkersWithIt() {
        long worker = pid("/orphan");
        long forkServer = ProcessHandle.of(worker).flatMap(ProcessHandle::parent).map(ProcessHandle::pid)
                .orElseThrow();
        LoggedProcess.signal(forkServer, "KILL");
        Await.until("a worker of a new fork server", Duration.ofSeconds(30), () -> {
            HttpResponse<String> r = get(port, "/orphan/pid");
            return r.statusCode() == 200 && Long.parseLong(r.body().split(" ")[0]) != worker;
        });
        long replacement = pid("/orphan");
        long newForkServer = ProcessHandle.of(replacement).flatMap(ProcessHandle::parent).map(ProcessHandle::pid)
                .orElseThrow();
        assertNotEquals(forkServer, newForkServer);
        assertTrue(server.output().contains("app 'orphan': the fork server exited with status 137; replacing its 1 "
                + "worker(s)"), server.output());
        Await.until("the orphaned worker to stop", Duration.ofSeconds(10),
                () -> ProcessHandle.of(worker).map(p -> !p.isAlive()).orElse(true));
    }

    @Test
    void clientDisconnectStopsTheStreamAndStillCallsClose() throws Exception {
        Path marker = dir.resolve("closed.txt");
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET /load/endless?marker=" + marker + " HTTP/1.1\r\nHost: t\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = s.getInputStream();
            byte[] buf = new byte[4096];
            String seen = "";
            while (!seen.contains("line 2\n")) {
                int n = in.read(buf);
                assertNotEquals(-1, n);
                seen += new String(buf, 0, n, StandardCharsets.ISO_8859_1);
            }
        }
        Await.until("close() of the abandoned response", Duration.ofSeconds(10), () -> Files.exists(marker));
        assertEquals(200, get(port, "/load/pid").statusCode());
    }
}
