package io.gatehouse.protocol.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.config.DataSize;
import io.gatehouse.core.testing.LeakCheck;
import io.gatehouse.protocol.http.Http1TestClient.Response;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A real listener on 127.0.0.1, [::1] and a unix socket in front of a JVM app, asserting the raw bytes that come
 * back: keep-alive, pipelining, chunked bodies both ways, 100-continue, HEAD, HTTP/1.0 and underscore fields.
 */
@ExtendWith(LeakCheck.class)
class Http1ListenerTest {
    static final String DATE = "Date: [A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT\r\n";
    static final boolean IPV6 = hasIpv6Loopback();
    static Http1TestServer server;
    static Http1TestServer underscores;
    static final List<String> binds = new ArrayList<>();

    static boolean hasIpv6Loopback() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("::1"))) {
            return s.isBound();
        } catch (IOException e) {
            return false;
        }
    }

    @BeforeAll
    static void start() throws Exception {
        startServers(false);
    }

    static void startServers(boolean nonBlocking) throws Exception {
        binds.clear();
        binds.add("127.0.0.1:0");
        binds.add("unix:");
        if (IPV6) {
            binds.add("[::1]:0");
        }
        server = Http1TestServer.start(nonBlocking, Http1Options.DEFAULTS, binds.toArray(String[]::new));
        Http1Options allow = new Http1Options(DataSize.ofKibibytes(8), DataSize.ofKibibytes(32), 100,
                DataSize.ofBytes(0), DataSize.ofKibibytes(256), true, null, null);
        underscores = Http1TestServer.start(nonBlocking, allow, "127.0.0.1:0");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (underscores != null) {
            underscores.close();
        }
    }

    static SocketAddress address(String kind) {
        return switch (kind) {
            case "tcp4" -> server.address(0);
            case "unix" -> server.address(1);
            case "tcp6" -> {
                Assumptions.assumeTrue(IPV6, "skipped: this machine has no IPv6 loopback (::1)");
                yield server.address(2);
            }
            default -> throw new IllegalArgumentException(kind);
        };
    }

    static String withoutDate(Response r) {
        assertTrue(r.head().matches("(?s).*\r\n" + DATE + ".*"), r.head());
        return r.toString().replaceFirst(DATE, "");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp4", "tcp6", "unix"})
    void servesTwoRequestsOnOneKeptAliveConnection(String kind) {
        try (Http1TestClient c = Http1TestClient.connect(address(kind))) {
            c.send("GET /a HTTP/1.1\r\nHost: example.com\r\n\r\n");
            assertEquals("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 8\r\n\r\nhello /a",
                    withoutDate(c.read()));
            c.send("GET /b HTTP/1.1\r\nHost: example.com\r\n\r\n");
            assertEquals("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 8\r\n\r\nhello /b",
                    withoutDate(c.read()));
            assertEquals("", c.available(Duration.ofMillis(100)), "nothing after the two responses");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp4", "tcp6", "unix"})
    void fillsTheConnectionKeysOfTheEnviron(String kind) {
        SocketAddress address = address(kind);
        try (Http1TestClient c = Http1TestClient.connect(address)) {
            String env = c.send("GET /environ HTTP/1.1\r\nHost: example.com:9999\r\n\r\n").read().text();
            assertTrue(env.contains("\nSERVER_NAME=example.com\n"), env);
            if (address instanceof InetSocketAddress inet) {
                InetSocketAddress local = (InetSocketAddress) c.localAddress();
                assertTrue(env.contains("\nREMOTE_ADDR=" + local.getAddress().getHostAddress() + "\n"), env);
                assertTrue(env.contains("\nREMOTE_PORT=" + local.getPort() + "\n"), env);
                assertTrue(env.contains("\nSERVER_PORT=" + inet.getPort() + "\n"), env);
            } else {
                assertTrue(env.contains("\nREMOTE_ADDR=\n"), env);
                assertTrue(env.contains("\nSERVER_PORT=9999\n"), env);
            }
            assertTrue(env.contains("\ngatehouse.protocol=http\n"), env);
        }
    }

    @Test
    void answersThreePipelinedRequestsInOrder() {
        try (Http1TestClient c = Http1TestClient.connect(address("tcp4"))) {
            c.send("GET /slow HTTP/1.1\r\nHost: a\r\n\r\nPOST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\n"
                    + "abcGET /third HTTP/1.1\r\nHost: a\r\n\r\n");
            assertEquals("slow", c.read().text());
            assertEquals("length=3\nabc", c.read().text());
            assertEquals("hello /third", c.read().text());
        }
    }

    @Test
    void passesAChunkedRequestBodyToTheApp() {
        try (Http1TestClient c = Http1TestClient.connect(address("tcp4"))) {
            c.send("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;x=1\r\nhello\r\n1\r\n \r\n"
                    + "5\r\nworld\r\n0\r\nX-Checksum: t\r\n\r\n");
            assertEquals("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 21\r\n\r\n"
                    + "length=11\nhello world", withoutDate(c.read()));
        }
    }

    @Test
    void streamsAResponseOfUnknownLengthChunked() {
        try (Http1TestClient c = Http1TestClient.connect(address("tcp4"))) {
            String wire = c.send("GET /stream HTTP/1.1\r\nHost: a\r\n\r\n").rawUntil("0\r\n\r\n");
            assertEquals("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "4\r\none \r\n4\r\ntwo \r\n5\r\nthree\r\n0\r\n\r\n", wire.replaceFirst(DATE, ""));
            assertEquals("hello /after", c.send("GET /after HTTP/1.1\r\nHost: a\r\n\r\n").read().text());
        }
    }

    @Test
    void delimitsAnHttp10ResponseOfUnknownLengthByClosing() {
        try (Http1TestClient c = Http1TestClient.connect(address("tcp4"))) {
            c.send("GET /stream HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            String wire = new String(c.readToEnd(), java.nio.charset.StandardCharsets.ISO_8859_1);
            assertEquals("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\none two three",
                    wire.replaceFirst(DATE, ""));
        }
    }

    @Test
    void keepsAnHttp10ConnectionAliveWhenAsked() {
        try (Http1TestClient c = Http1TestClient.connect(address("tcp4"))) {
            Response r = c.send("GET /x HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();
            assertEquals("keep-alive", r.field("Connection"));
            assertEquals("hello /y", c.send("GET /y HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read().text());
        }
    }

    @Test
    void sends100ContinueBeforeTheBodyAndTheFinalResponseAfterIt() {
        try (Http1TestClient c = Http1TestClient.connect(address("tcp4"))) {
            c.send("PUT /echo HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
            assertEquals("HTTP/1.1 100 Continue\r\n\r\n", c.rawUntil("\r\n\r\n"));
            assertEquals("", c.available(Duration.ofMillis(200)), "no final response before the body");
            c.send("hello");
            assertEquals("length=5\nhello", c.read().text());
        }
    }

    @Test
    void sends100ContinueOnlyWhenThePipelinedRequestBeforeIsAnswered() {
        try (Http1TestClient c = Http1TestClient.connect(address("tcp4"))) {
            c.send("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "PUT /echo HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");
            assertEquals("slow", c.read().text());
            assertEquals("HTTP/1.1 100 Continue\r\n\r\n", c.rawUntil("\r\n\r\n"));
            assertEquals("length=2\nok", c.send("ok").read().text());
        }
    }

    @Test
    void answersHeadWithTheLengthButNoBody() {
        try (Http1TestClient c = Http1TestClient.connect(address("tcp4"))) {
            Response head = c.send("HEAD /h HTTP/1.1\r\nHost: a\r\n\r\n").read(true);
            assertEquals("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 8\r\n\r\n", withoutDate(head));
            assertEquals("hello /g", c.send("GET /g HTTP/1.1\r\nHost: a\r\n\r\n").read().text(),
                    "no stray body bytes before the next response");
        }
    }

    @Test
    void dropsHeaderNamesWithUnderscoresByDefault() {
        try (Http1TestClient c = Http1TestClient.connect(address("tcp4"))) {
            String env = c.send("GET /environ HTTP/1.1\r\nHost: a\r\nX_Auth_User: admin\r\nX-Auth-User: guest\r\n\r\n")
                    .read().text();
            assertTrue(env.contains("\nHTTP_X_AUTH_USER=guest\n"), env);
            assertFalse(env.contains("admin"), env);
        }
    }

    @Test
    void keepsHeaderNamesWithUnderscoresWhenAllowed() {
        try (Http1TestClient c = Http1TestClient.connect(underscores.address(0))) {
            String env = c.send("GET /environ HTTP/1.1\r\nHost: a\r\nX_Tenant: blue\r\n\r\n").read().text();
            assertTrue(env.contains("\nHTTP_X_TENANT=blue\n"), env);
        }
    }
}
