package io.gatehouse.tests.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.tests.support.Await;
import io.gatehouse.tests.support.Command;
import io.gatehouse.tests.support.FreePort;
import io.gatehouse.tests.support.GatehouseProcess;
import io.gatehouse.tests.support.Wrk;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Certificates rotated under load (wrk over TLS, SIGHUP and gatehouse reload) with not one failed request, and the
 * HTTP/2 attacks against the real server: rapid reset, CONTINUATION flood, PING and SETTINGS floods from a client
 * that does not read, a window kept at zero. For each, the master's memory (VmRSS) and CPU time (/proc) stay
 * bounded and another client keeps being served while it runs.
 */
class TlsRotationAndAttacksTest {
    @TempDir
    static Path dir;
    static TestCertificates certs;
    static GatehouseProcess server;
    static int tls;
    static int h2c;

    @BeforeAll
    static void start() {
        Assumptions.assumeTrue(Command.installed("curl") && Command.installed("wrk"), "skipped: curl and wrk needed");
        certs = TestCertificates.create(dir);
        tls = FreePort.pick();
        h2c = FreePort.pick();
        server = GatehouseProcess.start(dir.resolve("gatehouse"), """
                master:
                  control-socket: %s
                listeners:
                  - protocol: http
                    bind: 127.0.0.1:%d
                    tls: {certificate: %s, key: %s}
                  - protocol: http
                    bind: 127.0.0.1:%d
                    http2: {h2c: true, max-resets: 100, send-timeout: 2s, max-queued-control-frames: 1000}
                apps:
                  - name: stream
                    runtime: jvm
                    mount: /stream
                    class: io.gatehouse.tests.apps.StreamApp
                    classpath: [%s]
                    threads: 8
                  - name: hello
                    runtime: jvm
                    mount: /
                    class: io.gatehouse.examples.hello.HelloApp
                    classpath: [%s]
                    threads: 4
                """.formatted(dir.resolve("control.sock"), tls, certs.server, certs.serverKey, h2c,
                GatehouseProcess.testClasses(), GatehouseProcess.exampleClasses()), BOUNDED_HEAP);
    }

    /**
     * The master's heap and direct memory, capped: a flood that held memory per frame would run the master out of
     * it, and what RSS may grow is the cap, not whatever the JVM's default heap sizing takes under garbage churn.
     */
    static final java.util.Map<String, String> BOUNDED_HEAP = java.util.Map.of("GATEHOUSE_JAVA_OPTS",
            "-Xmx96m -XX:MaxDirectMemorySize=32m");

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static String servedSerial() {
        String out = Command.run(List.of("sh", "-c", "echo | openssl s_client -connect 127.0.0.1:" + tls
                + " -servername localhost 2>/dev/null | openssl x509 -noout -serial"), Duration.ofSeconds(30)).output();
        return out.trim().replace("serial=", "");
    }

    @Test
    void rotatesTheCertificateUnderLoadWithoutAFailedRequest() throws Exception {
        Wrk wrk = Wrk.start(dir, "https://127.0.0.1:" + tls + "/", 2, 16, 12);
        try {
            Thread.sleep(1500);
            for (int i = 0; i < 4; i++) {
                String before = servedSerial();
                certs.issue("server", "/CN=localhost", "subjectAltName=DNS:localhost,IP:127.0.0.1", "rsa:2048");
                String fresh = TestCertificates.serial(certs.dir.resolve("server.leaf"));
                if (i % 2 == 0) {
                    server.signal("HUP");
                } else {
                    GatehouseProcess.Outcome o = GatehouseProcess.command(dir, "reload", "-s",
                            dir.resolve("control.sock").toString());
                    assertEquals(0, o.status(), o.stderr());
                }
                Await.until("the new certificate", Duration.ofSeconds(20), () -> fresh.equals(servedSerial()));
                assertNotEquals(before, fresh);
                Thread.sleep(1000);
            }
            Wrk.Result r = wrk.await();
            assertTrue(r.requests() > 500, r.output());
            assertEquals(0, r.non2xx(), r.output());
            assertEquals(0, r.socketErrors(), r.output());
        } finally {
            wrk.close();
        }
        assertTrue(server.output().contains("TLS by OpenSSL") || server.output().contains("TLS by the JDK"),
                server.output());
    }

    /** Runs {@code attack} while sampling the master and serving another client; returns RSS growth (MiB). */
    static void boundedWhile(String name, Attack attack) throws Exception {
        long pid = server.pid();
        long rssBefore = statusKb(pid, "VmRSS");
        long cpuBefore = cpuTicks(pid);
        long[] peak = {rssBefore};
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peak[0] = Math.max(peak[0], statusKb(pid, "VmRSS"));
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.start();
        long began = System.nanoTime();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger served = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicReference<String> refused = new java.util.concurrent.atomic.AtomicReference<>();
        Thread other = new Thread(() -> {
            do {
                Command.Result r = Command.run(List.of("curl", "-sS", "--max-time", "5", "--http2-prior-knowledge",
                        "http://127.0.0.1:" + h2c + "/"), Duration.ofSeconds(10));
                if (r.output().contains("Hello")) {
                    served.incrementAndGet();
                } else {
                    refused.compareAndSet(null, r.output());
                }
            } while (!stop.get());
        });
        other.start();
        try {
            attack.run();
        } finally {
            stop.set(true);
            other.join(15_000);
            sampler.interrupt();
            sampler.join(5000);
        }
        assertEquals(null, refused.get(), name + ": another client was not served");
        assertTrue(served.get() > 0, name + ": another client was not served");
        double seconds = (System.nanoTime() - began) / 1e9;
        double cpu = (cpuTicks(pid) - cpuBefore) / 100.0;
        long growthMiB = (peak[0] - rssBefore) / 1024;
        System.out.printf("%s: %.1f s, master CPU %.2f s, RSS %d -> peak %d MiB%n", name, seconds, cpu,
                rssBefore / 1024, peak[0] / 1024);
        assertTrue(growthMiB < 160, name + ": master RSS grew " + growthMiB + " MiB, over its 96 MiB heap and 32 MiB "
                + "of direct memory");
        assertTrue(cpu < seconds * 1.5 + 2, name + ": master used " + cpu + " s of CPU in " + seconds + " s");
        server.assertAlive();
    }

    interface Attack {
        void run() throws Exception;
    }

    @Test
    void rapidResetIsClosedWithEnhanceYourCalm() throws Exception {
        boundedWhile("rapid reset", () -> {
            try (H2Attacker a = new H2Attacker(h2c, 0)) {
                a.preface();
                byte[] get = H2Attacker.get("/");
                for (int id = 1; id < 2 * 5000; id += 2) {
                    try {
                        a.frame(H2Attacker.HEADERS, 0x5, id, get);
                        a.rst(id);
                    } catch (java.io.IOException closed) {
                        break;
                    }
                }
                a.flush();
                byte[] goAway = a.awaitFrame(H2Attacker.GOAWAY);
                assertNotNull(goAway, "GOAWAY");
                assertEquals(0xb, ByteBuffer.wrap(goAway).getInt(4), "ENHANCE_YOUR_CALM");
            }
        });
        assertTrue(server.output().contains("ENHANCE_YOUR_CALM"), server.output());
    }

    @Test
    void continuationFloodIsCutOffEarly() throws Exception {
        boundedWhile("CONTINUATION flood", () -> {
            try (H2Attacker a = new H2Attacker(h2c, 0)) {
                a.preface();
                a.frame(H2Attacker.HEADERS, 0, 1, H2Attacker.get("/"));
                byte[] filler = new byte[16384];
                java.util.Arrays.fill(filler, (byte) 0x40);
                long sent = 0;
                try {
                    while (sent < 64L * 1024 * 1024) {
                        a.frame(H2Attacker.CONTINUATION, 0, 1, filler);
                        sent += filler.length;
                    }
                } catch (java.io.IOException closed) {
                    // what the server does to a flood
                }
                assertTrue(sent < 8L * 1024 * 1024, "the server read " + sent + " bytes of one header block");
            }
        });
    }

    @Test
    void pingAndSettingsFloodsFromAClientThatDoesNotReadAreClosed() throws Exception {
        for (int type : new int[] {H2Attacker.PING, H2Attacker.SETTINGS}) {
            boundedWhile(type == H2Attacker.PING ? "PING flood" : "SETTINGS flood", () -> {
                try (H2Attacker a = new H2Attacker(h2c, 4096)) {
                    a.preface();
                    long deadline = System.nanoTime() + 20_000_000_000L;
                    boolean cut = false;
                    while (System.nanoTime() < deadline) {
                        try {
                            for (int i = 0; i < 1000; i++) {
                                if (type == H2Attacker.PING) {
                                    a.ping(i);
                                } else {
                                    a.frame(H2Attacker.SETTINGS, 0, 0, new byte[0]);
                                }
                            }
                            a.flush();
                        } catch (java.io.IOException closed) {
                            cut = true;
                            break;
                        }
                    }
                    assertTrue(cut || a.closedByServer(), "the flood went on for 20 s");
                }
            });
        }
    }

    @Test
    void aWindowKeptAtZeroIsResetAfterSendTimeout() throws Exception {
        boundedWhile("zero window", () -> {
            try (H2Attacker a = new H2Attacker(h2c, 0)) {
                a.preface(0x4, 0); // SETTINGS_INITIAL_WINDOW_SIZE 0: no DATA may come
                for (int id = 1; id <= 9; id += 2) {
                    a.frame(H2Attacker.HEADERS, 0x5, id, H2Attacker.get("/stream?bytes=50000000"));
                }
                a.flush();
                byte[] rst = a.awaitFrame(H2Attacker.RST_STREAM);
                assertNotNull(rst, "RST_STREAM");
                assertEquals(8, ByteBuffer.wrap(rst).getInt(), "CANCEL");
            }
        });
        Await.until("the send-timeout line", Duration.ofSeconds(5),
                () -> server.output().contains("send-timeout 2000 ms"));
    }

    static long statusKb(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").trim());
                }
            }
        } catch (java.io.IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** utime + stime of a process, in clock ticks (100 a second on Linux). */
    static long cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (java.io.IOException e) {
            return -1;
        }
    }
}
