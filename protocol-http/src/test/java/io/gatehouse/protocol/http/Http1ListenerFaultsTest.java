package io.gatehouse.protocol.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.config.DataSize;
import io.gatehouse.core.testing.LeakCheck;
import io.gatehouse.core.testing.LogCapture;
import io.gatehouse.protocol.http.Http1TestClient.Response;
import io.gatehouse.spi.protocol.ConnectionLimits;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Bad requests and timeouts through a real listener: each gets its status with {@code Connection: close}, the
 * connection closes, and the server logs exactly one WARN line naming the listener, the peer and the limit.
 */
@ExtendWith(LeakCheck.class)
class Http1ListenerFaultsTest {
    /** A listener of its own per test: its fault lines are rate-limited, so a shared one would run out of them. */
    Http1TestServer server;

    @BeforeEach
    void start() throws Exception {
        Http1Options small = new Http1Options(DataSize.ofBytes(256), DataSize.ofBytes(512), 10, DataSize.ofBytes(1000),
                DataSize.ofKibibytes(64), false, null, null);
        ConnectionLimits limits = ConnectionLimits.defaults(new Http1Protocol())
                .withHeaderTimeout(Duration.ofMillis(500)).withKeepaliveTimeout(Duration.ofMillis(800));
        server = Http1TestServer.start(small, limits, "127.0.0.1:0");
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    static String peer(Http1TestClient c) {
        InetSocketAddress local = (InetSocketAddress) c.localAddress();
        return local.getAddress().getHostAddress() + ":" + local.getPort();
    }

    /** Sends {@code request}, expects {@code status} with Connection: close, the close, and one WARN line. */
    void assertRefused(String request, int status, String detail) {
        try (LogCapture log = LogCapture.exchanges(); Http1TestClient c = Http1TestClient.connect(server.address(0))) {
            Response r = c.send(request).read();
            assertEquals(status, r.status(), r::toString);
            assertEquals("close", r.field("Connection"), r::toString);
            assertEquals("text/plain; charset=utf-8", r.field("Content-Type"));
            assertTrue(c.closedWithin(Duration.ofSeconds(5)), "connection left open after " + status);
            List<String> warnings = log.warnings();
            assertEquals(1, warnings.size(), log::toString);
            String line = warnings.get(0);
            assertTrue(line.startsWith("[" + server.name(0) + "] " + peer(c) + ": " + status + " "), line);
            assertTrue(line.contains(detail), line);
        }
    }

    static String body(int n) {
        return "b".repeat(n);
    }

    @ParameterizedTest(name = "{1} {2}")
    @CsvSource(delimiter = ';', textBlock = """
            GET /LONG HTTP/1.1|Host: a||                       ; 414 ; request line exceeds max-request-line 256 bytes
            GET / HTTP/1.1|Host: a|X-Big: BIG||                ; 431 ; header section exceeds max-header-size 512 bytes
            GET / HTTP/1.1|Host: a|MANY|                       ; 431 ; more than max-headers 10 header fields
            POST /echo HTTP/1.1|Host: a|Content-Length: 1001|| ; 413 ; Content-Length 1001 exceeds max-body-size 1000
            POST /echo HTTP/1.1|Host: a|Content-Length: 5|Content-Length: 6||hello ; 400 ; more than one Content-Length
            POST /echo HTTP/1.1|Host: a|Content-Length: 5, 5||hello ; 400 ; Content-Length written as a list '5, 5'
            POST /echo HTTP/1.1|Host: a|Content-Length: 5|Transfer-Encoding: chunked||0||; 400 ; both Content-Length and Transfer-Encoding
            GET / HTTP/1.1|Host: a|Bad Name: x||               ; 400 ; whitespace between header field name and colon
            GET / HTTP/2.0|Host: a||                           ; 505 ; unsupported version HTTP/2.0
            GET /public/../../admin HTTP/1.1|Host: a||         ; 400 ; in the path climbs above /
            """)
    void answersEachFaultWithItsStatusAndCloses(String request, int status, String detail) {
        String wire = request.strip().replace("LONG", "x".repeat(250)).replace("BIG", "y".repeat(500))
                .replace("MANY", "X-F: 1|".repeat(10)).replace("|", "\r\n");
        assertRefused(wire, status, detail.strip());
    }

    @Test
    void answersAChunkedBodyOverMaxBodySizeWith413() {
        String request = "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "1f4\r\n" + body(500) + "\r\n1f5\r\n" + body(501) + "\r\n0\r\n\r\n";
        assertRefused(request, 413, "chunked body of at least 1001 bytes exceeds max-body-size 1000");
    }

    @Test
    void answersBadChunkFramingWith400() {
        assertRefused("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\nzz\r\n", 400,
                "chunk-size line without a hex size");
    }

    @Test
    void refusesAnOversizedBodyWithout100Continue() {
        try (LogCapture log = LogCapture.exchanges(); Http1TestClient c = Http1TestClient.connect(server.address(0))) {
            Response r = c.send("PUT /echo HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 5000\r\n\r\n")
                    .read();
            assertEquals(413, r.status(), "the final status comes instead of 100 Continue: " + r);
            assertTrue(c.closedWithin(Duration.ofSeconds(5)));
            assertEquals(1, log.warnings().size(), log::toString);
        }
    }

    @Test
    void answersPipelinedRequestsBeforeABadOneThenCloses() {
        try (LogCapture log = LogCapture.exchanges(); Http1TestClient c = Http1TestClient.connect(server.address(0))) {
            c.send("GET /one HTTP/1.1\r\nHost: a\r\n\r\nGET /two HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "GET /three HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\nGET /four HTTP/1.1\r\nHost: a\r\n\r\n");
            assertEquals("hello /one", c.read().text());
            assertEquals("hello /two", c.read().text());
            Response bad = c.read();
            assertEquals(400, bad.status());
            assertEquals("close", bad.field("Connection"));
            assertTrue(c.closedWithin(Duration.ofSeconds(5)), "nothing after the 400");
            assertEquals(1, log.warnings().size(), log::toString);
            assertTrue(log.warnings().get(0).contains("more than one Host"), log::toString);
        }
    }

    @Test
    void answers413WhileTheClientIsStillSendingTheBody() {
        try (LogCapture log = LogCapture.exchanges(); Http1TestClient c = Http1TestClient.connect(server.address(0))) {
            c.send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 300000\r\n\r\n");
            for (int i = 0; i < 30; i++) {
                c.send(body(10_000));
            }
            Response r = c.read();
            assertEquals(413, r.status(), r::toString);
            assertTrue(c.closedWithin(Duration.ofSeconds(5)));
            assertEquals(1, log.warnings().size(), log::toString);
        }
    }

    @Test
    void answersASlowHeadWith408() {
        try (LogCapture log = LogCapture.exchanges(); Http1TestClient c = Http1TestClient.connect(server.address(0))) {
            c.send("GET / HTTP/1.1\r\nHost: a\r\n");
            Response r = c.read();
            assertEquals(408, r.status());
            assertEquals("close", r.field("Connection"));
            assertTrue(c.closedWithin(Duration.ofSeconds(5)));
            assertEquals(1, log.warnings().size(), log::toString);
            assertTrue(log.warnings().get(0).contains(peer(c) + ": 408 Request Timeout: request head not complete "
                    + "within header-timeout 500 ms"), log::toString);
        }
    }

    @Test
    void closesAnIdleKeptAliveConnectionQuietly() {
        try (LogCapture log = LogCapture.exchanges(); Http1TestClient c = Http1TestClient.connect(server.address(0))) {
            assertEquals(200, c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").read().status());
            assertTrue(c.closedWithin(Duration.ofSeconds(5)), "idle connection not closed");
            assertEquals(List.of(), log.warnings());
        }
    }

    @Test
    void leavesAConcurrentConnectionUntouchedByAnotherOnesBadRequest() {
        try (Http1TestClient good = Http1TestClient.connect(server.address(0));
                Http1TestClient bad = Http1TestClient.connect(server.address(0))) {
            good.send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nfirst");
            bad.send("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n");
            assertEquals(400, bad.read().status());
            assertTrue(bad.closedWithin(Duration.ofSeconds(5)));
            good.send(" half");
            assertEquals("length=10\nfirst half", good.read().text());
            assertEquals("hello /again", good.send("GET /again HTTP/1.1\r\nHost: a\r\n\r\n").read().text());
        }
    }
}
