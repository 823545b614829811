package io.gatehouse.protocol.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.testing.LeakCheck;
import io.gatehouse.core.testing.LogCapture;
import io.gatehouse.protocol.http.Http1TestClient.Response;
import io.gatehouse.spi.protocol.ConnectionLimits;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Clients that send or read too slowly, on a real socket: a stalled upload (body-timeout), a client that stops
 * reading (send-timeout), and an upload the app never reads, which the listener drains before closing (lingering
 * close) so that a client, or a proxy such as Apache's mod_proxy_http, still sending it gets the whole answer.
 */
@ExtendWith(LeakCheck.class)
class Http1SlowClientsTest {
    static final Duration BODY_TIMEOUT = Duration.ofMillis(500);
    static final Duration SEND_TIMEOUT = Duration.ofMillis(500);
    static final Duration LINGERING_TIME = Duration.ofSeconds(3);
    static final Duration LINGERING_TIMEOUT = Duration.ofMillis(500);

    Http1TestServer server;

    @BeforeEach
    void start() throws Exception {
        ConnectionLimits limits = ConnectionLimits.defaults(new Http1Protocol()).withBodyTimeout(BODY_TIMEOUT)
                .withSendTimeout(SEND_TIMEOUT).withLingering(LINGERING_TIME, LINGERING_TIMEOUT);
        server = Http1TestServer.start(Http1Options.DEFAULTS, limits, "127.0.0.1:0");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void answersAStalledUploadWith408AndCloses() {
        try (LogCapture log = LogCapture.exchanges(); Http1TestClient c = Http1TestClient.connect(server.address(0))) {
            c.send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 1000\r\n\r\n" + "b".repeat(100));
            Response r = c.read();
            assertEquals(408, r.status(), r::toString);
            assertEquals("close", r.field("Connection"));
            assertTrue(c.closedWithin(Duration.ofSeconds(5)));
            assertEquals(1, log.warnings().size(), log::toString);
            assertTrue(log.warnings().get(0).contains("408 Request Timeout: request body stalled: no bytes within "
                    + "body-timeout 500 ms"), log::toString);
        }
    }

    @Test
    void keepsAnUploadThatGoesOnSlowerThanTheTimeoutBetweenReadsAllows() throws Exception {
        try (Http1TestClient c = Http1TestClient.connect(server.address(0))) {
            c.send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 8\r\n\r\n");
            for (int i = 0; i < 8; i++) {
                Thread.sleep(BODY_TIMEOUT.toMillis() / 3);
                c.send("b");
            }
            assertEquals("length=8\nbbbbbbbb", c.read().text(), "the timeout runs between reads, not for the body");
        }
    }

    @Test
    void cutsAStalledUploadOnceTheAppHasStartedItsAnswer() {
        try (LogCapture log = LogCapture.exchanges(); Http1TestClient c = Http1TestClient.connect(server.address(0))) {
            c.send("POST /late-echo HTTP/1.1\r\nHost: a\r\nContent-Length: 1000\r\n\r\n" + "b".repeat(100));
            String started = c.rawUntil("reading\n");
            assertTrue(started.startsWith("HTTP/1.1 200 OK\r\n"), started);
            String rest = new String(c.readToEnd(), StandardCharsets.ISO_8859_1); // until the server closes
            assertFalse(rest.contains("length="), "cut: the app's answer cannot be finished: " + rest);
            assertTrue(log.warnings().get(0).contains("body-timeout 500 ms"), log::toString);
        }
    }

    @Test
    void cutsAClientThatStopsReadingAndTheAppsWritesFail() throws Exception {
        int failedBefore = Http1TestApp.FAILED_WRITES.get();
        try (LogCapture log = LogCapture.exchanges(); Http1TestClient c = Http1TestClient.connect(server.address(0))) {
            c.send("GET /big HTTP/1.1\r\nHost: a\r\n\r\n"); // and never read
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (Http1TestApp.FAILED_WRITES.get() == failedBefore && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(failedBefore + 1, Http1TestApp.FAILED_WRITES.get(), "the app's write failed: it is free");
            assertEquals(1, log.warnings().size(), log::toString);
            assertTrue(log.warnings().get(0).contains(": connection cut: the client took no response bytes within "
                    + "send-timeout 500 ms"), log::toString);
        }
    }

    @Test
    void drainsAnUploadTheAppNeverReadsSoTheClientStillSendingItGetsTheAnswer() throws Exception {
        int size = 8 << 20;
        try (Socket s = connect()) {
            OutputStream out = s.getOutputStream();
            out.write(("POST /hello HTTP/1.1\r\nHost: a\r\nContent-Length: " + size + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] block = new byte[64 * 1024];
            // as Apache's mod_proxy_http does: the whole body first, and only then the answer
            for (int sent = 0; sent < size; sent += block.length) {
                out.write(block);
                if (sent % (1 << 20) == 0) {
                    Thread.sleep(20);
                }
            }
            out.flush();
            String answer = readToEnd(s.getInputStream());
            assertTrue(answer.startsWith("HTTP/1.1 200 OK\r\n"), answer);
            assertTrue(answer.contains("\r\nConnection: close\r\n"), answer);
            assertTrue(answer.endsWith("\r\n\r\nhello /hello"), answer);
        }
    }

    /** A big answer to an upload its app never reads: the sending side shuts once all of it is out, not before. */
    @Test
    void lingersOnlyOnceABigAnswerHasAllGoneOut() throws Exception {
        try (Socket s = connect()) {
            OutputStream out = s.getOutputStream();
            out.write(("POST /big HTTP/1.1\r\nHost: a\r\nContent-Length: 1000000\r\n\r\n" + "b".repeat(1000))
                    .getBytes(StandardCharsets.US_ASCII));
            Thread trickle = new Thread(() -> { // within body-timeout, so the upload is slow but not stalled
                try {
                    for (int i = 0; i < 100; i++) {
                        Thread.sleep(BODY_TIMEOUT.toMillis() / 3);
                        out.write(new byte[100]);
                    }
                } catch (IOException | InterruptedException e) {
                    // the server closed: the test reads what it got
                }
            });
            trickle.start();
            Thread.sleep(SEND_TIMEOUT.toMillis() / 2); // the answer queues up in the server meanwhile
            String answer = readToEnd(s.getInputStream());
            trickle.interrupt();
            trickle.join(5000);
            int body = answer.length() - answer.indexOf("\r\n\r\n") - 4;
            assertTrue(answer.contains("\r\nTransfer-Encoding: chunked\r\n") || body == 800 * 64 * 1024,
                    answer.substring(0, Math.min(300, answer.length())));
            assertTrue(answer.endsWith("\r\n0\r\n\r\n") || body == 800 * 64 * 1024, "the whole answer: " + body);
        }
    }

    @Test
    void stopsLingeringWhenTheUnreadBodyStalls() throws Exception {
        try (Socket s = connect()) {
            OutputStream out = s.getOutputStream();
            out.write(("POST /hello HTTP/1.1\r\nHost: a\r\nContent-Length: 1000000\r\n\r\n" + "b".repeat(1000))
                    .getBytes(StandardCharsets.US_ASCII));
            String answer = readToEnd(s.getInputStream()); // ends when the server shuts its side, then it lingers
            assertTrue(answer.endsWith("hello /hello"), answer);
            Thread.sleep(LINGERING_TIMEOUT.toMillis() + 1000); // well short of the lingering-time
            assertTrue(writesFail(out), "closed once no byte came for lingering-timeout");
        }
    }

    @Test
    void stopsLingeringAfterTheLingeringTimeWhateverStillComes() throws Exception {
        try (Socket s = connect()) {
            OutputStream out = s.getOutputStream();
            out.write("POST /hello HTTP/1.1\r\nHost: a\r\nContent-Length: 1000000\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();
            assertTrue(readToEnd(s.getInputStream()).endsWith("hello /hello"));
            long closedAfter = -1;
            for (int i = 0; i < 100 && closedAfter < 0; i++) {
                Thread.sleep(LINGERING_TIMEOUT.toMillis() / 3); // each piece in time to keep it lingering
                if (writesFail(out)) {
                    closedAfter = (System.nanoTime() - start) / 1_000_000;
                }
            }
            assertTrue(closedAfter >= LINGERING_TIME.toMillis() - 200 && closedAfter < LINGERING_TIME.toMillis() + 3000,
                    "closed at lingering-time: after " + closedAfter + " ms");
        }
    }

    /** True when writing fails: the server closed (a first write after its close may still pass; the next fails). */
    private static boolean writesFail(OutputStream out) throws InterruptedException {
        try {
            out.write(new byte[100]);
            out.flush();
            Thread.sleep(50);
            out.write(new byte[100]);
            out.flush();
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private Socket connect() throws IOException {
        Socket s = new Socket();
        s.connect(server.address(0), 5000);
        s.setSoTimeout(15_000);
        return s;
    }

    /** Everything until the server closes; a reset fails the test, as it would lose a proxy the answer. */
    private static String readToEnd(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        for (int n; (n = in.read(buf)) > 0; ) {
            all.write(buf, 0, n);
        }
        return all.toString(StandardCharsets.ISO_8859_1);
    }
}
