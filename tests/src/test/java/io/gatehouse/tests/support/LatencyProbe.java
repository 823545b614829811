package io.gatehouse.tests.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Timed GET requests as well-behaved clients send them, each on its own kept-alive connection, one request after
 * the other: every request's latency, for percentiles. A failed request (an error, a status other than 200, a
 * connection lost) is counted and its client connects again.
 */
public final class LatencyProbe {
    private LatencyProbe() {
    }

    /** What a run measured, latencies in milliseconds. */
    public record Result(int requests, int failures, double p50, double p99, double max) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%d requests, %d failed, p50 %.2f ms, p99 %.2f ms, max %.2f ms",
                    requests, failures, p50, p99, max);
        }
    }

    /** {@code clients} clients sending {@code requestsEach} requests for {@code path} to {@code server}. */
    public static Result run(InetSocketAddress server, String path, int clients, int requestsEach)
            throws InterruptedException {
        long[] latencies = new long[clients * requestsEach];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: probe\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        for (int t = 0; t < clients; t++) {
            Thread thread = new Thread(() -> {
                Socket socket = null;
                for (int i = 0; i < requestsEach; i++) {
                    long start = System.nanoTime();
                    try {
                        if (socket == null) {
                            socket = new Socket();
                            socket.setTcpNoDelay(true);
                            socket.connect(server, 10_000);
                            socket.setSoTimeout(10_000);
                        }
                        if (exchange(socket.getOutputStream(), socket.getInputStream(), request) != 200) {
                            failures.incrementAndGet();
                        }
                    } catch (IOException e) {
                        failures.incrementAndGet();
                        closeQuietly(socket);
                        socket = null;
                    }
                    latencies[next.getAndIncrement()] = System.nanoTime() - start;
                }
                closeQuietly(socket);
            }, "latency-probe-" + t);
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        Arrays.sort(latencies);
        return new Result(latencies.length, failures.get(), millis(latencies, 0.50), millis(latencies, 0.99),
                latencies[latencies.length - 1] / 1e6);
    }

    /** Writes the request and reads one response with a Content-Length body; returns its status. */
    private static int exchange(OutputStream out, InputStream in, byte[] request) throws IOException {
        out.write(request);
        out.flush();
        ByteArrayOutputStream head = new ByteArrayOutputStream(256);
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed in the response head");
            }
            head.write(b);
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        int length = 0;
        for (String line : text.split("\r\n")) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        if (in.readNBytes(length).length != length) {
            throw new IOException("connection closed in the response body");
        }
        return Integer.parseInt(text.substring(9, 12));
    }

    private static double millis(long[] sorted, double quantile) {
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1)] / 1e6;
    }

    private static void closeQuietly(Socket socket) {
        try {
            if (socket != null) {
                socket.close();
            }
        } catch (IOException e) {
            // a probe's socket: nothing to do
        }
    }
}
