package io.gatehouse.tests.flood;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.tests.support.ConnectionFlood;
import io.gatehouse.tests.support.ConnectionFlood.Connection;
import io.gatehouse.tests.support.FreePort;
import io.gatehouse.tests.support.GatehouseProcess;
import io.gatehouse.tests.support.ProcStats;
import io.gatehouse.tests.support.RawHttp;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A listener at max-connections, and a master out of file descriptors: either way new connections wait (in the
 * listen queue) rather than being accepted and dropped, the master does not spin on them, says so in one line, and
 * serves them once connections close.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class MaxConnectionsTest {
    static final byte[] HELLO = "GET /hello HTTP/1.1\r\nHost: capped\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    /**
     * CPU the master may spend in 3 s with connections waiting: a spinning accept loop would take a core (3000 ms);
     * the JIT and the collector finishing the work of the requests just served take some.
     */
    static final long IDLE_CPU_LIMIT_MILLIS = 1000;

    @TempDir
    Path dir;

    @Test
    void holdsConnectionsOverMaxConnectionsInTheListenQueueWithoutSpinning() {
        int port = FreePort.pick();
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
        String site = FloodSite.hello(port, "max-connections: 100, backlog: 64");
        try (GatehouseProcess server = GatehouseProcess.start(dir, site);
                ConnectionFlood flood = ConnectionFlood.open(address, 150, Duration.ofSeconds(30))) {
            flood.sendAll(HELLO);
            assertTrue(flood.pumpUntil(f -> f.count(MaxConnectionsTest::answered) == 100, Duration.ofSeconds(30)),
                    "the first 100 are served");
            long cpu = idleCpuMillis(server, flood);
            assertEquals(100, flood.count(MaxConnectionsTest::answered), "the other 50 wait in the listen queue");
            List<Connection> served = flood.connections().stream().filter(MaxConnectionsTest::answered).toList();
            served.subList(0, 60).forEach(flood::close);
            assertTrue(flood.pumpUntil(f -> f.count(MaxConnectionsTest::answered) == 150, Duration.ofSeconds(30)),
                    "the waiting ones are served as places free");
            System.out.printf("max-connections 100 with 50 more waiting: the master used %d ms of CPU in 3 s%n", cpu);
            assertTrue(cpu < IDLE_CPU_LIMIT_MILLIS, cpu + " ms of CPU in 3 s");
            assertEquals(1, server.output().lines().filter(l -> l.contains("[web] max-connections 100 reached: "
                    + "accepting paused; new connections wait in the listen queue (backlog 64)")).count(),
                    server.output());
        }
    }

    @Test
    void pausesAcceptingWhenOutOfFileDescriptorsAndServesAgainAfter() {
        int port = FreePort.pick();
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
        try (GatehouseProcess server = GatehouseProcess.start(List.of("prlimit", "--nofile=300:300", "--"), dir,
                FloodSite.hello(port, ""), Map.of())) {
            assertTrue(server.output().contains("the listeners' max-connections add up to 16384, but the open-file "
                    + "limit is 300"), server.output());
            long cpu;
            try (ConnectionFlood flood = ConnectionFlood.open(address, 500, Duration.ofSeconds(30))) {
                flood.sendAll(HELLO);
                flood.pump(Duration.ofSeconds(2));
                cpu = idleCpuMillis(server, flood);
                System.out.printf("500 connections to a master limited to 300 files: %d served, %d ms of CPU in 3 s%n",
                        flood.count(MaxConnectionsTest::answered), cpu);
            }
            assertTrue(server.output().contains("[web] accepting a connection failed: "), server.output());
            assertTrue(cpu < IDLE_CPU_LIMIT_MILLIS, cpu + " ms of CPU in 3 s");
            String after = awaitServed(port);
            assertTrue(after.startsWith("HTTP/1.1 200 OK\r\n"), after);
            assertEquals(0, server.output().lines().filter(l -> l.startsWith("\tat ")).count(), server.output());
        }
    }

    @Test
    void raisesItsOpenFileLimitToTheHardLimitAsItStarts() {
        int port = FreePort.pick();
        long hard = new ProcStats(ProcessHandle.current().pid()).openFileLimits().get(1);
        try (GatehouseProcess server = GatehouseProcess.start(List.of("prlimit", "--nofile=1024:" + hard, "--"),
                dir, FloodSite.hello(port, ""), Map.of())) {
            assertEquals(List.of(hard, hard), new ProcStats(server.pid()).openFileLimits(), "soft raised to hard");
        }
    }

    private static long idleCpuMillis(GatehouseProcess server, ConnectionFlood flood) {
        ProcStats master = new ProcStats(server.pid());
        long before = master.cpuMillis();
        flood.pump(Duration.ofSeconds(3));
        return master.cpuMillis() - before;
    }

    /** A request once the flood has gone (a few accepts may still be paused for their second). */
    private static String awaitServed(int port) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try {
                return RawHttp.exchange(port, "GET /hello HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
            } catch (RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
        }
    }

    static boolean answered(Connection c) {
        return c.received().endsWith("Hello, world!\n");
    }
}
