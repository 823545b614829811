package io.gatehouse.protocol.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.testing.LeakCheck;
import io.gatehouse.core.testing.LogCapture;
import io.gatehouse.spi.protocol.ConnectionLimits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * max-connections, which the engine applies to every listener: at the limit the listener stops accepting, new
 * connections wait in the listen queue, unanswered, and are served in turn as open ones close; one log line says
 * so however many wait.
 */
@ExtendWith(LeakCheck.class)
class Http1MaxConnectionsTest {
    Http1TestServer server;

    @BeforeEach
    void start() throws Exception {
        ConnectionLimits limits = ConnectionLimits.defaults(new Http1Protocol()).withMaxConnections(2);
        server = Http1TestServer.start(Http1Options.DEFAULTS, limits, "127.0.0.1:0");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void holdsConnectionsOverTheLimitInTheListenQueueUntilOneCloses() {
        List<Http1TestClient> waiting = new ArrayList<>();
        try (LogCapture log = LogCapture.named("io.gatehouse.core.listener.AcceptGate");
                Http1TestClient first = Http1TestClient.connect(server.address(0));
                Http1TestClient second = Http1TestClient.connect(server.address(0))) {
            assertEquals("hello /1", first.send("GET /1 HTTP/1.1\r\nHost: a\r\n\r\n").read().text());
            assertEquals("hello /2", second.send("GET /2 HTTP/1.1\r\nHost: a\r\n\r\n").read().text());
            for (int i = 0; i < 20; i++) {
                waiting.add(Http1TestClient.connect(server.address(0)).send("GET /w HTTP/1.1\r\nHost: a\r\n"
                        + "Connection: close\r\n\r\n"));
            }
            assertEquals("", waiting.get(0).available(Duration.ofMillis(500)), "over the limit: not yet read");
            assertEquals("hello /1", first.send("GET /1 HTTP/1.1\r\nHost: a\r\n\r\n").read().text(),
                    "the connections taken are served as before");
            first.close();
            for (Http1TestClient c : waiting) {
                assertEquals("hello /w", c.read().text(), "served in turn as places free");
                c.close();
            }
            assertEquals(1, log.warnings().size(), log::toString);
            assertTrue(log.warnings().get(0).contains("max-connections 2 reached: accepting paused; new connections "
                    + "wait in the listen queue (backlog 128)"), log::toString);
        } finally {
            waiting.forEach(Http1TestClient::close);
        }
    }
}
