package io.gatehouse.tests.proxies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.tests.support.Await;
import io.gatehouse.tests.support.FreePort;
import io.gatehouse.examples.hello.EnvironApp;
import io.gatehouse.tests.support.GatehouseProcess;
import io.gatehouse.tests.support.GatehouseYaml;
import io.gatehouse.tests.support.Haproxy;
import io.gatehouse.tests.support.RawHttp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's haproxy in TCP mode with {@code send-proxy} and {@code send-proxy-v2} in front of HTTP listeners with
 * {@code proxy-protocol: true}, on a port and on a unix socket. haproxy connects from 127.0.0.3, the test's client
 * from 127.0.0.1, so the environ and the access log show whose address the listener took.
 */
class ProxyProtocolBehindHaproxyTest {
    static final boolean IPV6 = FreePort.hasIpv6Loopback();
    static final String HAPROXY_SOURCE = "127.0.0.3";

    @TempDir
    static Path dir;
    static GatehouseProcess gatehouse;
    static Haproxy haproxy;
    static int listener;
    static int trustingListener;
    static int trusting;
    static int v2;
    static int unix;
    static int local;
    static int v6;

    @BeforeAll
    static void start() {
        listener = FreePort.pick();
        trustingListener = FreePort.pick();
        Path socket = dir.resolve("gatehouse/run/http.sock");
        gatehouse = GatehouseProcess.start(dir.resolve("gatehouse"), """
                logging:
                  access-log: %s
                  access-log-format: json
                listeners:
                  - name: pp
                    protocol: http
                    bind: 127.0.0.1:%d
                    proxy-protocol: true
                    header-timeout: 2s
                  - name: pp-unix
                    protocol: http
                    bind: unix:%s
                    proxy-protocol: true
                  - name: pp-trusting
                    protocol: http
                    bind: 127.0.0.1:%d
                    proxy-protocol: true
                    trusted-proxies: [%s]
                apps:
                %s""".formatted(dir.resolve("access.log"), listener, socket, trustingListener, HAPROXY_SOURCE,
                GatehouseYaml.jvmApp("environ", "/", EnvironApp.class).indent(2)));
        v2 = FreePort.pick();
        unix = FreePort.pick();
        local = FreePort.pick();
        trusting = FreePort.pick();
        v6 = FreePort.pick();
        String server = "127.0.0.1:" + listener + " source " + HAPROXY_SOURCE;
        haproxy = Haproxy.start(dir.resolve("haproxy"), """
                frontend v1
                    bind 127.0.0.1:{port}
                    default_backend v1
                backend v1
                    server gh %1$s send-proxy
                frontend v2
                    bind 127.0.0.1:%2$d
                    default_backend v2
                backend v2
                    server gh %1$s send-proxy-v2
                frontend unix
                    bind 127.0.0.1:%3$d
                    default_backend unix
                backend unix
                    server gh unix@%4$s send-proxy-v2
                frontend checked
                    bind 127.0.0.1:%5$d
                    default_backend checked
                backend checked
                    option httpchk GET /health
                    timeout check 5s
                    server gh %1$s send-proxy-v2 check inter 200ms fall 2 rise 1
                frontend trusting
                    bind 127.0.0.1:%6$d
                    default_backend trusting
                backend trusting
                    server gh 127.0.0.1:%7$d send-proxy source %8$s
                %9$s""".formatted(server, v2, unix, socket, local, trusting, trustingListener, HAPROXY_SOURCE,
                IPV6 ? """
                frontend v6
                    bind [::1]:%d
                    default_backend v1
                """.formatted(v6) : ""));
    }

    @AfterAll
    static void stop() {
        if (haproxy != null) {
            haproxy.close();
        }
        if (gatehouse != null) {
            gatehouse.close();
        }
    }

    private static void assertClient(EnvironReply reply, String addr) {
        assertEquals(200, reply.status(), reply.response());
        assertEquals(addr, reply.get("REMOTE_ADDR"), reply.response());
        assertEquals(Integer.toString(reply.localPort()), reply.get("REMOTE_PORT"), reply.response());
    }

    @Test
    void takesTheClientFromSendProxy() {
        EnvironReply reply = EnvironReply.get(haproxy.port(), "/v1");
        assertClient(reply, "127.0.0.1");
        Await.until("the access log line of /v1", Duration.ofSeconds(10),
                () -> accessLog().contains("\"uri\":\"/v1\""));
        assertTrue(Pattern.compile("\"remote_addr\":\"127\\.0\\.0\\.1\"[^\n]*\"uri\":\"/v1\"").matcher(accessLog())
                .find(), accessLog());
    }

    @Test
    void takesTheClientFromSendProxyV2() {
        assertClient(EnvironReply.get(v2, "/v2"), "127.0.0.1");
    }

    @Test
    void takesTheHeaderOnAUnixSocketListener() {
        EnvironReply reply = EnvironReply.get(unix, "/unix");
        assertClient(reply, "127.0.0.1");
        assertEquals("pp-unix", reply.get("gatehouse.listener"));
    }

    @Test
    void takesAnIpv6ClientFromATcp6Header() {
        Assumptions.assumeTrue(IPV6, "skipped: this machine has no IPv6 loopback (::1)");
        assertClient(EnvironReply.get("::1", v6, "/v6"), "0:0:0:0:0:0:0:1");
    }

    @Test
    void acceptsHaproxysLocalHealthChecksWithHaproxyAsThePeer() {
        Await.until("two health checks of haproxy in the access log", Duration.ofSeconds(20),
                () -> accessLog().split("\"uri\":\"/health\"", -1).length > 2);
        assertTrue(Pattern.compile("\"remote_addr\":\"127\\.0\\.0\\.3\"[^\n]*\"uri\":\"/health\"")
                .matcher(accessLog()).find(), accessLog());
        assertClient(EnvironReply.get(local, "/after-checks"), "127.0.0.1");
        assertFalse(gatehouse.output().contains("closed: not a valid PROXY"), gatehouse.output());
    }

    @Test
    void decidesTrustOnTheHeadersSourceNotOnHaproxysAddress() {
        EnvironReply reply = EnvironReply.get(trusting, "/", "X-Forwarded-For: 203.0.113.66",
                "X-Forwarded-Proto: https");
        assertClient(reply, "127.0.0.1");
        assertEquals("http", reply.get("wsgi.url_scheme"));
        assertEquals("203.0.113.66", reply.get("HTTP_X_FORWARDED_FOR"));
        assertNull(reply.get("gatehouse.orig.REMOTE_ADDR"));
    }

    @Test
    void closesAConnectionWithoutTheHeaderWithOneLogLineAndNoAnswer() {
        assertEquals("", RawHttp.exchange(listener, "GET /direct HTTP/1.1\r\nHost: a\r\n\r\n"));
        Await.until("the log line", Duration.ofSeconds(10), () -> gatehouse.output().contains("unknown identifier"));
        assertEquals(1, gatehouse.output().split("not a valid PROXY protocol header: unknown identifier: GET", -1)
                .length - 1, gatehouse.output());
        assertTrue(gatehouse.output().contains("[pp] 127.0.0.1:"), gatehouse.output());
    }

    @Test
    void closesAConnectionWhoseHeaderDoesNotComeWithinTheHeaderTimeout() {
        long start = System.nanoTime();
        assertEquals("", RawHttp.exchange(listener, "PROXY TCP4 "));
        long waited = (System.nanoTime() - start) / 1_000_000;
        assertTrue(waited >= 1900 && waited < 9000, "closed after " + waited + " ms");
        Await.until("the log line", Duration.ofSeconds(10),
                () -> gatehouse.output().contains("no PROXY protocol header within header-timeout 2000 ms"));
    }

    private static String accessLog() {
        try {
            Path log = dir.resolve("access.log");
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
