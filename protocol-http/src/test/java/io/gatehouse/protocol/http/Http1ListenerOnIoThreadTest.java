package io.gatehouse.protocol.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The listener suite again with the app declared {@code non-blocking}: requests whose bodies have arrived run on
 * the I/O thread, so keep-alive, pipelining, 100-continue and HEAD must hold when the app answers inside the read.
 */
class Http1ListenerOnIoThreadTest extends Http1ListenerTest {
    @BeforeAll
    static void start() throws Exception {
        startServers(true);
    }

    @Test
    void runsABodilessRequestOnTheIoThread() {
        try (Http1TestClient c = Http1TestClient.connect(address("tcp4"))) {
            String thread = c.send("GET /thread HTTP/1.1\r\nHost: a\r\n\r\n").read().text();
            assertFalse(thread.startsWith("app-test-"), thread);
            assertTrue(c.send("GET /x HTTP/1.1\r\nHost: a\r\n\r\n").read().text().equals("hello /x"));
        }
    }
}
