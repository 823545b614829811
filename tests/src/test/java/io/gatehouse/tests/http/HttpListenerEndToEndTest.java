package io.gatehouse.tests.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.tests.support.Await;
import io.gatehouse.tests.support.FreePort;
import io.gatehouse.tests.support.GatehouseProcess;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The HTTP listener of the built distribution, spoken to in raw bytes: every limit and framing fault gets its status
 * with Connection: close and one log line naming the peer and the limit; binds on 127.0.0.1, [::1] and a unix socket.
 */
class HttpListenerEndToEndTest {
    @TempDir
    static Path dir;
    static GatehouseProcess server;
    static int port;
    static int port6;
    static Path socket;
    static final boolean IPV6 = FreePort.hasIpv6Loopback();

    @BeforeAll
    static void start() {
        port = FreePort.pick();
        port6 = FreePort.pick();
        socket = dir.resolve("run/http.sock");
        String limits = """
                    max-request-line: 256
                    max-header-size: 1KiB
                    max-headers: 20
                    max-body-size: 1000
                    header-timeout: 1s
                """;
        String v6 = IPV6 ? "  - protocol: http\n    bind: \"[::1]:" + port6 + "\"\n" : "";
        server = GatehouseProcess.start(dir.resolve("gatehouse"), """
                listeners:
                  - protocol: http
                    bind: 127.0.0.1:%d
                %s%s  - protocol: http
                    bind: unix:%s
                apps:
                  - name: echo
                    runtime: jvm
                    mount: /echo
                    class: io.gatehouse.tests.apps.EchoApp
                    classpath: [%s]
                  - name: public
                    runtime: jvm
                    mount: /public
                    class: io.gatehouse.tests.apps.EchoApp
                    classpath: [%s]
                  - name: environ
                    runtime: jvm
                    mount: /
                    class: io.gatehouse.examples.hello.EnvironApp
                    classpath: [%s]
                """.formatted(port, limits, v6, socket, GatehouseProcess.testClasses(), GatehouseProcess.testClasses(),
                        GatehouseProcess.exampleClasses()));
        Await.until("the unix socket", Duration.ofSeconds(10), () -> Await.listening(socket));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static SocketAddress v4() {
        return new InetSocketAddress("127.0.0.1", port);
    }

    /** Asserts the status, Connection: close, the close itself, and the server's log line for this peer. */
    static void assertRefused(HttpWire wire, int status, String detail) {
        assertEquals(status, wire.status(), wire.response());
        assertTrue(wire.hasField("Connection", "close"), wire.response());
        Await.until("the log line for " + wire.peer(), Duration.ofSeconds(5),
                () -> server.output().contains(wire.peer() + ": " + status + " "));
        String line = server.output().lines().filter(l -> l.contains(wire.peer() + ": ")).findFirst().orElseThrow();
        assertTrue(line.contains(" WARN") && line.contains(detail), line);
        assertEquals(1, server.output().lines().filter(l -> l.contains(wire.peer() + ": ")).count(), server.output());
    }

    @ParameterizedTest(name = "{1} {2}")
    @CsvSource(delimiter = ';', textBlock = """
            GET /LONG HTTP/1.1|Host: a||                            ; 414 ; request line exceeds max-request-line 256 bytes
            GET / HTTP/1.1|Host: a|X-Big: BIG||                     ; 431 ; header section exceeds max-header-size 1024 bytes
            GET / HTTP/1.1|Host: a|MANY|                            ; 431 ; more than max-headers 20 header fields
            POST /echo HTTP/1.1|Host: a|Content-Length: 1001||      ; 413 ; Content-Length 1001 exceeds max-body-size 1000
            POST /echo HTTP/1.1|Host: a|Content-Length: 3|Content-Length: 4||abc ; 400 ; more than one Content-Length header field
            POST /echo HTTP/1.1|Host: a|Content-Length: 3, 3||abc  ; 400 ; Content-Length written as a list '3, 3'
            POST /echo HTTP/1.1|Host: a|Content-Length: 3|Transfer-Encoding: chunked||0||; 400 ; both Content-Length and Transfer-Encoding
            POST /echo HTTP/1.1|Host: a|Transfer-Encoding: chunked|Transfer-Encoding: chunked||0||; 400 ; chunked is not the final
            POST /echo HTTP/1.1|Host: a|Transfer-Encoding: chunked||3E9|; 413 ; chunked body of at least 1001 bytes exceeds max-body-size 1000
            GET / HTTP/1.1|Host: a|X: 1| folded||                   ; 400 ; obsolete line folding
            GET /public/../../admin HTTP/1.1|Host: a||              ; 400 ; in the path climbs above /
            """)
    void answersEachFaultWithItsStatusAndOneLogLine(String request, int status, String detail) {
        String wire = request.strip().replace("LONG", "x".repeat(250)).replace("BIG", "y".repeat(1020))
                .replace("MANY", "X-F: 1|".repeat(20)).replace("|", "\r\n");
        assertRefused(HttpWire.exchange(v4(), wire), status, detail.strip());
    }

    @Test
    void answersASlowHeadWith408AfterTheHeaderTimeout() {
        HttpWire wire = HttpWire.exchange(v4(), "GET / HTTP/1.1\r\nHost: a\r\n".getBytes(StandardCharsets.US_ASCII),
                Duration.ZERO);
        assertRefused(wire, 408, "request head not complete within header-timeout 1000 ms");
    }

    @Test
    void dropsHeaderNamesWithUnderscores() {
        HttpWire wire = HttpWire.exchange(v4(), "GET /env HTTP/1.1\r\nHost: a\r\nX_User: mallory\r\nX-User: alice\r\n"
                + "Connection: close\r\n\r\n");
        assertEquals(200, wire.status(), wire.response());
        assertTrue(wire.response().contains("\nHTTP_X_USER=alice\n"), wire.response());
        assertFalse(wire.response().contains("mallory"), wire.response());
    }

    /** As nginx does before it picks a location: the mount is chosen on the path without its dot segments. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"/public/../admin, /admin", "/public/%2e%2e/admin, /admin", "/public/./../admin/./x, /admin/x",
        "//public/..//admin, /admin"})
    void routesAPathByItsDotSegmentsNotPastThem(String target, String pathInfo) {
        HttpWire wire = HttpWire.exchange(v4(), "GET " + target + "?q=1 HTTP/1.1\r\nHost: a\r\n"
                + "Connection: close\r\n\r\n");
        assertEquals(200, wire.status(), wire.response());
        assertFalse(wire.response().contains("\nlength=0\n"), "the app at /public answered: " + wire.response());
        assertTrue(wire.response().contains("\nSCRIPT_NAME=\n") && wire.response().contains("\nPATH_INFO=" + pathInfo
                + "\n"), "the app at / answers for " + pathInfo + ": " + wire.response());
        assertTrue(wire.response().contains("\nREQUEST_URI=" + target + "?q=1\n"), "as sent: " + wire.response());
    }

    @Test
    void servesOverIpv6Loopback() {
        Assumptions.assumeTrue(IPV6, "skipped: this machine has no IPv6 loopback (::1)");
        HttpWire wire = HttpWire.exchange(new InetSocketAddress("::1", port6),
                "GET /env/x HTTP/1.1\r\nHost: [::1]\r\nConnection: close\r\n\r\n");
        assertEquals(200, wire.status(), wire.response());
        assertTrue(wire.response().contains("\nREMOTE_ADDR=0:0:0:0:0:0:0:1\n"), wire.response());
        assertTrue(wire.response().contains("\nSERVER_NAME=[::1]\n"), wire.response());
        assertTrue(wire.response().contains("\nSERVER_PORT=" + port6 + "\n"), wire.response());
    }

    @Test
    void servesOverAUnixSocket() {
        HttpWire wire = HttpWire.exchange(UnixDomainSocketAddress.of(socket),
                "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello");
        assertEquals(200, wire.status(), wire.response());
        assertTrue(wire.response().contains("\nlength=5\n"), wire.response());
    }

    @Test
    void keepsAConnectionAliveAcrossRequests() {
        HttpWire wire = HttpWire.exchange(v4(), "GET /env/1 HTTP/1.1\r\nHost: a\r\n\r\n"
                + "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
                + "GET /env/3 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        String all = wire.response();
        assertEquals(3, all.split("HTTP/1.1 200 OK\r\n", -1).length - 1, all);
        assertTrue(all.indexOf("PATH_INFO=/env/1") < all.indexOf("length=3") && all.indexOf("length=3")
                < all.indexOf("PATH_INFO=/env/3"), all);
    }
}
