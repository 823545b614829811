package io.gatehouse.tests.flood;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.gatehouse.tests.support.ConnectionFlood;
import io.gatehouse.tests.support.FreePort;
import io.gatehouse.tests.support.GatehouseProcess;
import io.gatehouse.tests.support.LatencyProbe;
import io.gatehouse.tests.support.MemorySampler;
import io.gatehouse.tests.support.ProcStats;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * 10,000 kept-alive connections that made a request and went idle, on an HTTP listener with the default limits
 * (but a 2 s header timeout): the master's resident memory stays under 200 MiB over its baseline, and other
 * clients' requests are served meanwhile with a p99 under 50 ms. The figures go to docs/reliability.md.
 */
class IdleConnectionsTest {
    static final int IDLE = 10_000;
    static final long RSS_GROWTH_LIMIT_MIB = 200;
    static final double P99_LIMIT_MILLIS = 50;
    static final byte[] HELLO = "GET /hello HTTP/1.1\r\nHost: idle\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void holdsTenThousandIdleConnectionsInBoundedMemoryWhileServingOthers() throws Exception {
        assumeTrue(ConnectionFlood.descriptorsAvailable(IDLE), "needs an open-file limit above " + IDLE
                + " (ulimit -n) for the test's client");
        int port = FreePort.pick();
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
        try (GatehouseProcess server = GatehouseProcess.start(dir, FloodSite.hello(port, "header-timeout: 2s"))) {
            ProcStats master = new ProcStats(server.pid());
            LatencyProbe.run(address, "/hello", 4, 500); // warm-up: the JIT, the pools, the buffers
            long baselineKb = master.rssKb();
            LatencyProbe.Result quiet = LatencyProbe.run(address, "/hello", 4, 500);
            try (MemorySampler rss = new MemorySampler(server.pid());
                    ConnectionFlood idle = ConnectionFlood.open(address, IDLE, Duration.ofSeconds(60), HELLO)) {
                assertTrue(idle.pumpUntil(f -> f.count(c -> answers(c) == 1) == IDLE, Duration.ofSeconds(60)),
                        () -> "every connection answered once; " + state(idle) + "\n" + tail(server.output()));
                long heldKb = master.rssKb();
                LatencyProbe.Result busy = LatencyProbe.run(address, "/hello", 4, 1000);
                idle.pump(Duration.ofMillis(200));
                long growthMiB = (heldKb - baselineKb) / 1024;
                System.out.printf("%d idle connections: master VmRSS %d MiB -> %d MiB (%d bytes per connection), "
                        + "peak %d MiB, %d open files; others' requests: quiet %s; with the idle ones %s%n", IDLE,
                        baselineKb / 1024, heldKb / 1024, (heldKb - baselineKb) * 1024 / IDLE, rss.peakMiB(),
                        master.openFiles(), quiet, busy);
                assertEquals(0, idle.count(ConnectionFlood.Connection::closed), "idle connections are kept");
                assertEquals(0, busy.failures(), busy::toString);
                assertTrue(rss.growthMiB() < RSS_GROWTH_LIMIT_MIB, "master grew by " + rss.growthMiB() + " MiB");
                assertTrue(busy.p99() < P99_LIMIT_MILLIS, "p99 with " + IDLE + " idle connections: " + busy);
                idle.sendAll(HELLO);
                assertTrue(idle.pumpUntil(f -> f.count(c -> answers(c) == 2) == IDLE, Duration.ofSeconds(60)),
                        () -> "each idle connection still serves its next request; " + state(idle));
            }
        }
    }

    /** How many connections were answered, closed, and what one unanswered one got. */
    static String state(ConnectionFlood flood) {
        String unanswered = flood.connections().stream().filter(c -> answers(c) == 0).findFirst()
                .map(c -> (c.closed() ? "closed" : "open") + " with '" + c.received() + "'").orElse("none");
        return flood.count(c -> answers(c) == 1) + " answered once, " + flood.count(c -> answers(c) == 2)
                + " twice, " + flood.count(ConnectionFlood.Connection::closed) + " closed; an unanswered one: "
                + unanswered;
    }

    static String tail(String log) {
        return log.length() < 4000 ? log : log.substring(log.length() - 4000);
    }

    /** Complete answers a connection received. */
    static int answers(ConnectionFlood.Connection c) {
        return c.received().split("Hello, world!\n", -1).length - 1;
    }
}
