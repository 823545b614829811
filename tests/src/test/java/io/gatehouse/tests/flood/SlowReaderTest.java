package io.gatehouse.tests.flood;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.tests.support.Await;
import io.gatehouse.tests.support.FreePort;
import io.gatehouse.tests.support.GatehouseProcess;
import io.gatehouse.tests.support.MemorySampler;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that asks a Python app for 100 MB and stops reading: the master holds no more than its buffers (the app
 * is held back, not the bytes), the send timeout cuts the connection, and the app's one worker, its writes failed,
 * serves the next request.
 */
class SlowReaderTest {
    static final long SIZE = 100_000_000;
    static final long MASTER_GROWTH_LIMIT_MIB = 64;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void cutsAClientThatStopsReadingAHundredMegabyteResponse() throws Exception {
        int port = FreePort.pick();
        try (GatehouseProcess server = GatehouseProcess.start(dir, FloodSite.python(port, "send-timeout: 3s"))) {
            long pid = FloodSite.workerPid(port);
            try (MemorySampler master = new MemorySampler(server.pid()); Socket client = new Socket()) {
                client.setReceiveBufferSize(64 * 1024);
                client.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                client.getOutputStream().write(get("/download?bytes=" + SIZE).getBytes(StandardCharsets.US_ASCII));
                long start = System.nanoTime();
                Await.until("the send timeout's line", Duration.ofSeconds(60), () -> server.output()
                        .contains(": connection cut: the client took no response bytes within send-timeout 3000 ms"));
                long cutAfter = (System.nanoTime() - start) / 1_000_000;
                master.close();
                long received = drain(client.getInputStream());
                System.out.printf("a client that stopped reading %d bytes: cut after %d ms, having taken %d bytes; "
                        + "master %s%n", SIZE, cutAfter, received, master);
                assertTrue(received < SIZE, received + " bytes");
                assertTrue(master.growthMiB() < MASTER_GROWTH_LIMIT_MIB, "master grew: " + master);
            }
            assertEquals(pid, FloodSite.workerPid(port), "the one worker, free again");
        }
    }

    static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n";
    }

    /** Reads what the client still has until the cut connection ends (or resets); returns the bytes read. */
    static long drain(InputStream in) {
        long n = 0;
        byte[] buf = new byte[1 << 16];
        try {
            for (int r; (r = in.read(buf)) > 0; ) {
                n += r;
            }
        } catch (IOException e) {
            // reset: the server cut the connection with bytes still unsent
        }
        return n;
    }
}
