package io.gatehouse.tests.flood;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.gatehouse.examples.hello.HelloApp;
import io.gatehouse.tests.support.Await;
import io.gatehouse.tests.support.ConnectionFlood;
import io.gatehouse.tests.support.ConnectionFlood.Connection;
import io.gatehouse.tests.support.FreePort;
import io.gatehouse.tests.support.GatehouseProcess;
import io.gatehouse.tests.support.GatehouseYaml;
import io.gatehouse.tests.support.LatencyProbe;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Floods of bad connections against the built server: 2,000 slowloris clients dropped at the header timeout while
 * other clients are served, and floods of malformed requests and of connections without their PROXY protocol
 * header, whose log lines are rate-limited to a summary per 10 s. Each listener below has its own lines.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class SlowlorisTest {
    static final int SLOW = 2000;
    static final int BAD = 1000;
    static final long HEADER_TIMEOUT_MILLIS = 2000;
    /** logging.repeat-limit's default. */
    static final int REPEAT_LIMIT = 20;

    @TempDir
    static Path dir;
    GatehouseProcess server;
    InetSocketAddress slow;
    InetSocketAddress bad;
    InetSocketAddress proxied;

    @BeforeAll
    void start() {
        slow = new InetSocketAddress("127.0.0.1", FreePort.pick());
        bad = new InetSocketAddress("127.0.0.1", FreePort.pick());
        proxied = new InetSocketAddress("127.0.0.1", FreePort.pick());
        server = GatehouseProcess.start(dir, """
                listeners:
                  - {name: slow, protocol: http, bind: "127.0.0.1:%d", header-timeout: 2s}
                  - {name: bad, protocol: http, bind: "127.0.0.1:%d"}
                  - {name: pp, protocol: http, bind: "127.0.0.1:%d", proxy-protocol: true}
                apps:
                %s""".formatted(slow.getPort(), bad.getPort(), proxied.getPort(),
                GatehouseYaml.jvmApp("hello", "/", HelloApp.class).indent(2)));
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void dropsTwoThousandSlowHeadsAtTheHeaderTimeoutWhileServingOthers() throws Exception {
        assumeTrue(ConnectionFlood.descriptorsAvailable(SLOW), "needs an open-file limit above " + SLOW);
        try (ConnectionFlood flood = ConnectionFlood.open(slow, SLOW, Duration.ofSeconds(60))) {
            long start = System.nanoTime();
            flood.sendAll("GET /hello HTTP/1.1\r\nHost: slow\r\n".getBytes(StandardCharsets.US_ASCII));
            CompletableFuture<LatencyProbe.Result> others = CompletableFuture.supplyAsync(() -> probe(slow));
            long deadline = start + TimeUnit.MILLISECONDS.toNanos(HEADER_TIMEOUT_MILLIS + 20_000);
            while (flood.count(Connection::closed) < SLOW && System.nanoTime() < deadline) {
                flood.sendAll("X-Drip: 1\r\n".getBytes(StandardCharsets.US_ASCII)); // a field every 500 ms
                flood.pump(Duration.ofMillis(500));
            }
            LatencyProbe.Result served = others.get(60, TimeUnit.SECONDS);
            // a new connection's head is due header-timeout after the connection opened
            long first = flood.connections().stream().mapToLong(c -> c.closedAt() - c.openedAt()).min().orElseThrow();
            long last = flood.connections().stream().mapToLong(c -> c.closedAt() - c.openedAt()).max().orElseThrow();
            System.out.printf("%d slowloris connections: each closed %d to %d ms after it opened; meanwhile %s%n",
                    SLOW, first / 1_000_000, last / 1_000_000, served);
            assertEquals(SLOW, flood.count(Connection::closed), () -> "every slow head dropped; one left: "
                    + flood.connections().stream().filter(c -> !c.closed()).findFirst().map(c -> "opened "
                            + (start - c.openedAt()) / 1_000_000 + " ms before the heads began, received '"
                            + c.received() + "'").orElse("none"));
            assertEquals(SLOW, flood.count(c -> c.received().startsWith("HTTP/1.1 408 Request Timeout\r\n")));
            assertTrue(first >= TimeUnit.MILLISECONDS.toNanos(HEADER_TIMEOUT_MILLIS - 50), "none before the timeout");
            // the kernel may complete a connect before the server can accept it (a full accept queue on a busy
            // machine); the server's timer starts at the accept
            assertTrue(last < TimeUnit.MILLISECONDS.toNanos(HEADER_TIMEOUT_MILLIS + 15_000), "each soon after it");
            assertEquals(0, served.failures(), served::toString);
        }
        assertLogBounded("[slow] ", "408 Request Timeout: request head not complete within header-timeout", SLOW);
    }

    @Test
    void boundsTheLogOfAFloodOfMalformedRequests() {
        flood(bad, "NOT HTTP\r\n\r\n");
        assertLogBounded("[bad] ", "400 Bad Request: malformed request line", BAD);
    }

    @Test
    void boundsTheLogOfAFloodOfConnectionsWithoutTheirProxyHeader() {
        flood(proxied, "GET / HTTP/1.1\r\nHost: pp\r\n\r\n");
        assertLogBounded("[pp] ", "closed: not a valid PROXY protocol header", BAD);
    }

    private static void flood(InetSocketAddress to, String request) {
        assumeTrue(ConnectionFlood.descriptorsAvailable(BAD), "needs an open-file limit above " + BAD);
        try (ConnectionFlood flood = ConnectionFlood.open(to, BAD, Duration.ofSeconds(60))) {
            flood.sendAll(request.getBytes(StandardCharsets.US_ASCII));
            assertTrue(flood.pumpUntil(f -> f.count(Connection::closed) == BAD, Duration.ofSeconds(60)),
                    "every bad connection closed");
        }
    }

    private static LatencyProbe.Result probe(InetSocketAddress to) {
        try {
            return LatencyProbe.run(to, "/hello", 4, 250);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * {@code total} faults of one kind on one listener left at most repeat-limit lines of their own, then summary
     * lines (one per 10 s) that count the rest, and no stack trace.
     */
    private void assertLogBounded(String listener, String fault, int total) {
        Pattern summary = Pattern.compile(Pattern.quote(listener) + "(\\d+) more like this in the last 10 s; the last: "
                + ".*" + Pattern.quote(fault));
        Await.until("the summary of " + listener + "lines", Duration.ofSeconds(25), () -> {
            long lines = server.output().lines().filter(l -> l.contains(listener) && l.contains(fault)
                    && !summary.matcher(l).find()).count();
            return lines + summarised(summary) == total;
        });
        long lines = server.output().lines().filter(l -> l.contains(listener) && l.contains(fault)
                && !summary.matcher(l).find()).count();
        System.out.printf("%d faults on %s: %d lines of their own, %d counted in %d summary line(s)%n", total,
                listener.trim(), lines, summarised(summary), server.output().lines()
                        .filter(l -> summary.matcher(l).find()).count());
        assertTrue(lines <= REPEAT_LIMIT, lines + " lines");
        assertEquals(0, server.output().lines().filter(l -> l.startsWith("\tat ")).count(), "no stack trace");
    }

    private long summarised(Pattern summary) {
        long n = 0;
        for (String line : server.output().lines().toList()) {
            Matcher m = summary.matcher(line);
            if (m.find()) {
                n += Long.parseLong(m.group(1));
            }
        }
        return n;
    }
}
