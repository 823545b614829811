package io.gatehouse.tests.http;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.tests.support.Distribution;
import io.gatehouse.tests.support.FreePort;
import io.gatehouse.tests.support.GatehouseProcess;
import io.gatehouse.tests.support.PatternBody;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 2 GiB upload through the HTTP listener to a JVM app that hashes it, with the server's heap capped at 256 MiB
 * and its resident memory sampled throughout: the body streams, it is never held.
 */
class HttpLargeUploadTest {
    static final long SIZE = 2L << 30;
    /** Resident memory the server may reach: heap + direct buffers + the JVM itself, far below the body's size. */
    static final long RSS_LIMIT = 512L << 20;

    @TempDir
    Path dir;

    @Test
    void streamsTwoGibibytesWithBoundedMemory() throws Exception {
        int port = FreePort.pick();
        String yaml = """
                listeners:
                  - protocol: http
                    bind: 127.0.0.1:%d
                apps:
                  - name: echo
                    runtime: jvm
                    mount: /
                    class: io.gatehouse.tests.apps.EchoApp
                    classpath: [%s]
                """.formatted(port, Distribution.repositoryRoot().resolve("tests/target/test-classes"));
        try (GatehouseProcess server = GatehouseProcess.start(dir, yaml, Map.of("GATEHOUSE_JAVA_OPTS", "-Xmx256m"))) {
            AtomicLong maxRss = new AtomicLong();
            Thread sampler = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    maxRss.accumulateAndGet(rss(server.pid()), Math::max);
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            sampler.start();
            String response;
            String expected;
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                s.setSoTimeout(60_000);
                expected = upload(s.getOutputStream());
                response = new String(readAll(s.getInputStream()), StandardCharsets.US_ASCII);
            } finally {
                sampler.interrupt();
                sampler.join();
            }
            assertTrue(response.startsWith("HTTP/1.1 200 OK\r\n"), response);
            assertTrue(response.contains("\nlength=" + SIZE + "\n"), response);
            assertTrue(response.contains("\nsha256=" + expected + "\n"), response);
            assertTrue(response.contains("\ncontent-length=" + SIZE + "\n"), response);
            System.out.println("2 GiB upload: server VmRSS peaked at " + (maxRss.get() >> 20) + " MiB");
            assertTrue(maxRss.get() > 0 && maxRss.get() < RSS_LIMIT, "server VmRSS peaked at "
                    + (maxRss.get() >> 20) + " MiB");
        }
    }

    /** Writes the request with a generated body (constant memory here too); returns the body's SHA-256. */
    static String upload(OutputStream out) throws Exception {
        out.write(("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Type: application/octet-stream\r\nContent-Length: "
                + SIZE + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        return PatternBody.write(out, SIZE);
    }

    static byte[] readAll(InputStream in) throws Exception {
        return in.readAllBytes();
    }

    /** VmRSS of {@code pid} in bytes (0 if it cannot be read). */
    static long rss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (Exception e) {
            return 0;
        }
        return 0;
    }
}
