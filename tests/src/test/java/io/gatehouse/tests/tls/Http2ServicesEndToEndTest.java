package io.gatehouse.tests.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.tests.support.Await;
import io.gatehouse.tests.support.Command;
import io.gatehouse.tests.support.FreePort;
import io.gatehouse.tests.support.GatehouseProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What works over HTTP/1.1 works over HTTP/2, on TLS and h2c alike: virtual hosts chosen by {@code :authority}, the
 * access log and the metrics counting HTTP/2 requests, and reloads under h2load without a failed stream.
 */
class Http2ServicesEndToEndTest {
    static final String VHOST = "vhost.test";
    @TempDir
    static Path dir;
    static TestCertificates certs;
    static GatehouseProcess server;
    static int tls;
    static int h2c;
    static int stats;

    @BeforeAll
    static void start() {
        Assumptions.assumeTrue(Command.installed("curl") && Command.installed("h2load"),
                "skipped: curl and nghttp2-client are needed (.ci/install-deps installs them)");
        certs = TestCertificates.create(dir);
        tls = FreePort.pick();
        h2c = FreePort.pick();
        stats = FreePort.pick();
        server = GatehouseProcess.start(dir.resolve("gatehouse"), """
                listeners:
                  - protocol: http
                    bind: 127.0.0.1:%d
                    tls: {certificate: %s, key: %s}
                  - protocol: http
                    bind: 127.0.0.1:%d
                    http2: {h2c: true}
                logging: {access-log: %s, access-log-format: json}
                stats: {bind: "127.0.0.1:%d"}
                master: {control-socket: %s}
                apps:
                  - name: vhost
                    runtime: jvm
                    hosts: [%s]
                    mount: /
                    class: io.gatehouse.examples.hello.EnvironApp
                    classpath: [%s]
                  - name: hello
                    runtime: jvm
                    mount: /
                    class: io.gatehouse.examples.hello.HelloApp
                    classpath: [%9$s]
                """.formatted(tls, certs.server, certs.serverKey, h2c, dir.resolve("access.log"), stats,
                dir.resolve("control.sock"), VHOST, GatehouseProcess.exampleClasses()));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static String curl(String... args) {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20", "--cacert",
                certs.ca.toString()));
        cmd.addAll(List.of(args));
        return Command.run(cmd, Duration.ofSeconds(30)).output();
    }

    @Test
    void routesToTheVirtualHostOfTheAuthority() {
        String resolve = VHOST + ":" + tls + ":127.0.0.1";
        String vhost = curl("--http2", "--resolve", resolve, "-k", "https://" + VHOST + ":" + tls + "/v");
        assertTrue(vhost.contains("\nSERVER_PROTOCOL=HTTP/2\n") && vhost.contains("\nHTTP_HOST=" + VHOST + ":" + tls
                + "\n"), vhost);
        assertEquals("Hello, world!\n", curl("--http2", "https://localhost:" + tls + "/v"));
        String cleartext = curl("--http2-prior-knowledge", "-H", "Host: " + VHOST, "http://127.0.0.1:" + h2c + "/v");
        assertTrue(cleartext.contains("\nSERVER_PROTOCOL=HTTP/2\n"), cleartext);
        assertEquals("Hello, world!\n", curl("--http2-prior-knowledge", "http://127.0.0.1:" + h2c + "/v"));
    }

    @Test
    void logsAndCountsHttp2Requests() throws Exception {
        String marker = "/counted-" + System.nanoTime();
        curl("--http2", "https://localhost:" + tls + marker);
        Await.until("the access log line", Duration.ofSeconds(10), () -> read("access.log").contains(marker));
        String line = read("access.log").lines().filter(l -> l.contains(marker)).findFirst().orElseThrow();
        assertTrue(line.contains("\"protocol\":\"HTTP/2\"") && line.contains("\"status\":200")
                && line.contains("\"app\":\"hello\""), line);
        String metrics = curl("http://127.0.0.1:" + stats + "/metrics");
        assertTrue(metrics.contains("gatehouse_requests_total{app=\"hello\",listener=\"http@127.0.0.1:" + tls
                + "\",status=\"2xx\"}"), metrics);
    }

    @Test
    void reloadsUnderHttp2LoadWithoutAFailedStream() throws Exception {
        Path out = dir.resolve("h2load.out");
        Process load = new ProcessBuilder("h2load", "-c", "8", "-m", "10", "-D", "8",
                "https://127.0.0.1:" + tls + "/").redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            int before = reloads();
            Thread.sleep(1500);
            server.signal("HUP");
            Await.until("the reload by SIGHUP", Duration.ofSeconds(20), () -> reloads() > before);
            GatehouseProcess.Outcome o = GatehouseProcess.command(dir, "reload", "-s",
                    dir.resolve("control.sock").toString());
            assertEquals(0, o.status(), o.stderr());
            Await.until("the reload by gatehouse reload", Duration.ofSeconds(20), () -> reloads() > before + 1);
            assertTrue(load.isAlive(), "both reloads happened while h2load ran");
            assertTrue(load.waitFor(60, TimeUnit.SECONDS), "h2load did not end");
        } finally {
            load.destroyForcibly();
        }
        String report = Files.readString(out);
        Matcher done = Pattern.compile("requests: \\d+ total, \\d+ started, (\\d+) done, (\\d+) succeeded, 0 failed, "
                + "0 errored, 0 timeout").matcher(report);
        assertTrue(done.find(), report);
        assertTrue(Long.parseLong(done.group(2)) > 1000, report);
        assertTrue(report.contains("status codes: " + done.group(2) + " 2xx, 0 3xx, 0 4xx, 0 5xx"), report);
    }

    static int reloads() {
        return server.output().split("reloaded: ", -1).length - 1;
    }

    static String read(String name) {
        try {
            return Files.exists(dir.resolve(name)) ? Files.readString(dir.resolve(name)) : "";
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
