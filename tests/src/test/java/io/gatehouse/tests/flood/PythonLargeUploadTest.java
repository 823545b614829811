package io.gatehouse.tests.flood;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.tests.support.FreePort;
import io.gatehouse.tests.support.GatehouseProcess;
import io.gatehouse.tests.support.MemorySampler;
import io.gatehouse.tests.support.PatternBody;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 2 GiB upload through the HTTP listener to a Python app that hashes it as it reads: the body streams from the
 * client through the master to the worker, with the resident memory of both sampled throughout (default settings).
 */
class PythonLargeUploadTest {
    static final long SIZE = 2L << 30;
    static final long MASTER_GROWTH_LIMIT_MIB = 128;
    static final long WORKER_GROWTH_LIMIT_MIB = 32;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void streamsTwoGibibytesToAPythonAppWithBoundedMemoryOnBothSides() throws Exception {
        int port = FreePort.pick();
        try (GatehouseProcess server = GatehouseProcess.start(dir, FloodSite.python(port, ""))) {
            long workerPid = FloodSite.workerPid(port);
            String expected;
            String answer;
            long start = System.nanoTime();
            try (MemorySampler master = new MemorySampler(server.pid());
                    MemorySampler worker = new MemorySampler(workerPid);
                    Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                s.setSoTimeout(120_000);
                OutputStream out = s.getOutputStream();
                out.write(("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Type: application/octet-stream\r\n"
                        + "Content-Length: " + SIZE + "\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                expected = PatternBody.write(out, SIZE);
                answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                master.close();
                worker.close();
                System.out.printf("2 GiB upload to a Python app in %d s: master %s; worker %s%n",
                        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start), master, worker);
                assertTrue(answer.startsWith("HTTP/1.1 200 OK\r\n"), answer);
                assertTrue(answer.contains("length=" + SIZE + "\nsha256=" + expected + "\n"), answer);
                assertTrue(master.growthMiB() < MASTER_GROWTH_LIMIT_MIB, "master grew: " + master);
                assertTrue(worker.growthMiB() < WORKER_GROWTH_LIMIT_MIB, "worker grew: " + worker);
            }
        }
    }
}
