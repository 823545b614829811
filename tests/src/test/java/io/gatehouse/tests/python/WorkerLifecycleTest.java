package io.gatehouse.tests.python;

import static io.gatehouse.tests.python.PythonApps.get;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.tests.support.Await;
import io.gatehouse.tests.support.LogLines;
import io.gatehouse.tests.support.MemorySampler;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** How workers are made and run: preload or lazy import, threads, recycling, their output, and file sending. */
class WorkerLifecycleTest extends PythonServerCase {
    @Override
    String apps() {
        return PythonApps.app("lazy", "/lazy", PythonApps.lifecycleApp("workers: 2"))
                + PythonApps.app("pre", "/pre", PythonApps.lifecycleApp("workers: 2\npreload: true"))
                + PythonApps.app("recycled", "/recycled", PythonApps.lifecycleApp("max-requests: 5"))
                + PythonApps.app("threaded", "/threaded", PythonApps.lifecycleApp("threads: 2"));
    }

    /** pid, import pid, wsgi.multithread, wsgi.multiprocess of the worker that answers. */
    String[] pidInfo(String mount) {
        HttpResponse<String> r = get(port, mount + "/pid");
        assertEquals(200, r.statusCode(), r.body());
        return r.body().trim().split(" ");
    }

    @Test
    void lazyWorkersImportTheAppThemselves() {
        String[] info = pidInfo("/lazy");
        assertEquals(info[0], info[1], "imported in the worker itself");
        assertEquals("False", info[2]);
        assertEquals("True", info[3]);
    }

    @Test
    void preloadImportsOnceInTheForkServerAndForksTheWorkers() throws Exception {
        Set<String> workers = new HashSet<>();
        Set<String> importers = new HashSet<>();
        List<CompletableFuture<HttpResponse<String>>> together = List.of(
                PythonApps.CLIENT.sendAsync(HttpRequest.newBuilder(PythonApps.uri(port, "/pre/pid?ms=500")).build(),
                        HttpResponse.BodyHandlers.ofString()),
                PythonApps.CLIENT.sendAsync(HttpRequest.newBuilder(PythonApps.uri(port, "/pre/pid?ms=500")).build(),
                        HttpResponse.BodyHandlers.ofString()));
        for (CompletableFuture<HttpResponse<String>> r : together) {
            String[] info = r.get(30, TimeUnit.SECONDS).body().trim().split(" ");
            workers.add(info[0]);
            importers.add(info[1]);
        }
        assertEquals(2, workers.size(), "two workers answered");
        assertEquals(1, importers.size(), "one import for both");
        assertTrue(!workers.contains(importers.iterator().next()), "the import ran in the fork server");
        String forkServer = importers.iterator().next();
        assertTrue(server.output().contains("app 'pre': fork server pid " + forkServer + " started"), server.output());
        assertEquals(1, LogLines.count(server.output(), "pre[" + forkServer + "]: lifecycle app imported"));
    }

    @Test
    void maxRequestsRecyclesTheWorkerWithoutFailingARequest() {
        Set<String> pids = new HashSet<>();
        for (int i = 0; i < 16; i++) {
            pids.add(pidInfo("/recycled")[0]);
        }
        assertEquals(4, pids.size(), "a fresh worker every 5 requests: " + pids);
        assertTrue(server.output().matches("(?s).*app 'recycled' worker 1 \\(pid \\d+\\) served max-requests 5; "
                + "recycling it\n.*"), server.output());
    }

    @Test
    void threadsServeRequestsAtTheSameTime() throws Exception {
        assertEquals("True", pidInfo("/threaded")[2]);
        List<CompletableFuture<HttpResponse<String>>> both = List.of(
                PythonApps.CLIENT.sendAsync(HttpRequest.newBuilder(PythonApps.uri(port, "/threaded/barrier")).build(),
                        HttpResponse.BodyHandlers.ofString()),
                PythonApps.CLIENT.sendAsync(HttpRequest.newBuilder(PythonApps.uri(port, "/threaded/barrier")).build(),
                        HttpResponse.BodyHandlers.ofString()));
        for (CompletableFuture<HttpResponse<String>> r : both) {
            assertEquals("both threads were in at once\n", r.get(30, TimeUnit.SECONDS).body());
        }
    }

    @Test
    void appOutputGoesToTheLogWithTheWorkerPid() {
        String pid = get(port, "/lazy/print").body().trim();
        for (String line : new String[] {"printed by the app to stdout", "written by the app to stderr",
            "written to wsgi.errors"}) {
            Await.until(line, Duration.ofSeconds(10),
                    () -> server.output().contains("INFO [python] lazy[" + pid + "]: " + line + "\n"));
        }
    }

    @Test
    void aClientThatStopsReadingHoldsBackTheWorkerNotTheMastersMemory() throws Exception {
        long total = 100L << 20;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            s.setSoTimeout(30_000);
            s.setReceiveBufferSize(64 * 1024);
            s.getOutputStream().write("GET /lazy/stream-mb?mb=100 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = s.getInputStream();
            byte[] buf = new byte[65536];
            long read = 0;
            while (read < (1 << 20)) {
                read += in.read(buf);
            }
            try (MemorySampler master = new MemorySampler(server.pid())) {
                Thread.sleep(3000);
                master.close();
                assertTrue(master.growthMiB() < 32, "the master buffered the response: " + master);
            }
            for (int n; (n = in.read(buf)) > 0; ) {
                read += n;
            }
            assertTrue(read > total && read < total + 1024, "all of the body arrived: " + read);
        }
        assertEquals(200, get(port, "/lazy/pid").statusCode());
    }

    @Test
    void fileWrapperIsSentByTheMasterNotCopiedThroughThePythonProcess() throws Exception {
        String pid = pidInfo("/lazy")[0];
        byte[] expected = new byte[16 * 1024 * 1024];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = (byte) i;
        }
        for (int attempt = 0; attempt < 10; attempt++) {
            long readBefore = PythonApps.ioCounter(Long.parseLong(pid), "rchar");
            long writtenBefore = PythonApps.ioCounter(Long.parseLong(pid), "wchar");
            HttpResponse<byte[]> r = PythonApps.CLIENT.send(HttpRequest.newBuilder(PythonApps.uri(port, "/lazy/bigfile"))
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, r.statusCode());
            assertEquals(String.valueOf(expected.length), r.headers().firstValue("content-length").orElseThrow());
            assertArrayEquals(expected, r.body());
            long read = PythonApps.ioCounter(Long.parseLong(pid), "rchar") - readBefore;
            long written = PythonApps.ioCounter(Long.parseLong(pid), "wchar") - writtenBefore;
            if (read >= 0 && written >= 0 && read < (1 << 20) && written < (1 << 20)) {
                return;
            }
            assertNotEquals(-1, readBefore, "/proc/" + pid + "/io is readable");
        }
        throw new AssertionError("no /lazy/bigfile request was served by worker " + pid + " without copying");
    }
}
