package io.gatehouse.protocol.http;

import static io.gatehouse.protocol.http.Http1WebSocketWire.ACCEPT;
import static io.gatehouse.protocol.http.Http1WebSocketWire.BINARY;
import static io.gatehouse.protocol.http.Http1WebSocketWire.CLOSE;
import static io.gatehouse.protocol.http.Http1WebSocketWire.CONTINUATION;
import static io.gatehouse.protocol.http.Http1WebSocketWire.PING;
import static io.gatehouse.protocol.http.Http1WebSocketWire.PONG;
import static io.gatehouse.protocol.http.Http1WebSocketWire.TEXT;
import static io.gatehouse.protocol.http.Http1WebSocketWire.concat;
import static io.gatehouse.protocol.http.Http1WebSocketWire.frame;
import static io.gatehouse.protocol.http.Http1WebSocketWire.frames;
import static io.gatehouse.protocol.http.Http1WebSocketWire.handshake;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.config.DataSize;
import io.gatehouse.core.testing.ListenerHarness;
import io.gatehouse.protocol.http.Http1WebSocketWire.Frame;
import io.gatehouse.spi.exchange.Exchange;
import io.gatehouse.spi.exchange.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The http listener's WebSocket handshake, messages, limits and close handshake, on an EmbeddedChannel. */
class Http1WebSocketTest {
    private ListenerHarness harness;

    private ListenerHarness start(Http1WebSocketOptions ws, Consumer<Exchange> app) {
        harness = ListenerHarness.start(new Http1Protocol(), Http1Options.DEFAULTS.withWebSocket(ws), app);
        return harness;
    }

    private ListenerHarness echo() {
        return start(Http1WebSocketOptions.DEFAULTS, Http1WebSocketWire.echo());
    }

    @AfterEach
    void released() {
        if (harness != null) {
            if (harness.open()) {
                harness.feed(Http1WebSocketWire.close(1000, new byte[0])); // the close handshake, as a client ends
            }
            harness.response();
            harness.channel().close();
            assertFalse(harness.channel().finish());
            harness.close();
        }
    }

    @Test
    void acceptsWithTheRfcAcceptKeyAndTheSubprotocol() {
        String head = echo().feed(handshake("/ws", "Sec-WebSocket-Protocol: chat, superchat")).responseText();
        assertTrue(head.startsWith("HTTP/1.1 101 Switching Protocols\r\n"), head);
        assertTrue(head.contains("\r\nSec-WebSocket-Accept: " + ACCEPT + "\r\n"), head);
        assertTrue(head.contains("\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"), head);
        assertTrue(head.contains("\r\nSec-WebSocket-Protocol: chat\r\n"), head);
        assertFalse(head.contains("Content-Length") || head.contains("Transfer-Encoding"), head);
        assertTrue(harness.open());
    }

    @Test
    void echoesTextBinaryAndFragmentsAsTheyCome() {
        echo().feed(handshake("/ws"));
        harness.feed(concat(Http1WebSocketWire.text("héllo"), frame(BINARY, true, new byte[] {0, 1, 2}),
                frame(TEXT, false, "ab".getBytes()), frame(CONTINUATION, true, "cd".getBytes())));
        List<Frame> out = frames(harness.response());
        assertEquals("héllo", out.get(0).text());
        assertEquals(BINARY, out.get(1).opcode());
        assertArrayEquals(new byte[] {0, 1, 2}, out.get(1).payload());
        assertEquals(List.of(TEXT, CONTINUATION), List.of(out.get(2).opcode(), out.get(3).opcode()));
        assertFalse(out.get(2).fin());
        assertTrue(out.get(3).fin());
    }

    @Test
    void answersPingWithPongOfTheSamePayload() {
        echo().feed(handshake("/ws")).feed(frame(PING, true, "abc".getBytes()));
        Frame pong = frames(harness.response()).get(0);
        assertEquals(PONG, pong.opcode());
        assertEquals("abc", pong.text());
    }

    @Test
    void theClientsCloseIsEchoedAndTheConnectionCloses() {
        echo().feed(handshake("/ws")).feed(Http1WebSocketWire.close(1001, "bye".getBytes()));
        Frame close = frames(harness.response()).get(0);
        assertEquals(CLOSE, close.opcode());
        assertEquals(1001, close.closeCode());
        assertFalse(harness.open());
    }

    @Test
    void aMessageAtMaxMessageSizePassesAndOneByteMoreClosesWith1009() {
        Http1WebSocketOptions small = new Http1WebSocketOptions(true, DataSize.ofBytes(200), Duration.ZERO,
                Duration.ZERO, Duration.ofSeconds(5), false);
        start(small, Http1WebSocketWire.echo()).feed(handshake("/ws"));
        harness.feed(concat(frame(BINARY, false, new byte[100]), frame(CONTINUATION, true, new byte[100])));
        assertEquals(2, frames(harness.response()).size());
        harness.feed(concat(frame(BINARY, false, new byte[100]), frame(CONTINUATION, true, new byte[101])));
        List<Frame> out = frames(harness.response());
        assertEquals(1009, out.get(out.size() - 1).closeCode());
        assertFalse(harness.open());
    }

    @Test
    void aQuietClientIsPingedThenClosedWith1001AfterTheIdleTimeout() {
        Http1WebSocketOptions idle = new Http1WebSocketOptions(true, DataSize.ofKibibytes(64), Duration.ofSeconds(10),
                Duration.ofSeconds(4), Duration.ofSeconds(5), false);
        start(idle, Http1WebSocketWire.echo()).feed(handshake("/ws"));
        harness.advance(5_000);
        assertEquals(PING, frames(harness.response()).get(0).opcode());
        harness.advance(6_000);
        List<Frame> out = frames(harness.response());
        assertEquals(1001, out.get(out.size() - 1).closeCode());
        assertFalse(harness.open());
    }

    @Test
    void theAppsCloseWaitsForTheClientsCloseThenEnds() {
        start(Http1WebSocketOptions.DEFAULTS, exchange -> {
            exchange.websocket().accept(null, null);
            exchange.websocket().close(4001, "done");
        }).feed(handshake("/ws"));
        Frame close = frames(harness.response()).get(0);
        assertEquals(4001, close.closeCode());
        assertEquals("done", new String(close.payload(), 2, 4, StandardCharsets.UTF_8));
        assertTrue(harness.open());
        harness.feed(Http1WebSocketWire.close(4001, new byte[0]));
        assertFalse(harness.open());
    }

    @Test
    void theCloseHandshakeGivesUpAfterTheCloseTimeout() {
        start(Http1WebSocketOptions.DEFAULTS, exchange -> {
            exchange.websocket().accept(null, null);
            exchange.websocket().close(1000, "");
        }).feed(handshake("/ws"));
        harness.advance(4_000);
        assertTrue(harness.open());
        harness.advance(2_000);
        assertFalse(harness.open());
    }

    @Test
    void anAbortAfterTheAcceptSendsCloseWith1011NotAReset() {
        start(Http1WebSocketOptions.DEFAULTS, exchange -> {
            exchange.websocket().accept(null, null);
            exchange.response().abort();
        }).feed(handshake("/ws"));
        assertEquals(WebSocket.INTERNAL_ERROR, frames(harness.response()).get(0).closeCode());
        harness.feed(Http1WebSocketWire.close(1011, new byte[0]));
        assertFalse(harness.open());
    }

    @Test
    void aCloseBeforeTheAcceptIsAnsweredWith403() {
        String answer = start(Http1WebSocketOptions.DEFAULTS, exchange -> exchange.websocket().close(1000, ""))
                .feed(handshake("/ws")).responseText();
        assertTrue(answer.startsWith("HTTP/1.1 403 Forbidden\r\n"), answer);
    }

    @Test
    void refusesAnotherVersionWith400NamingVersion13() {
        String answer = echo().feed(("GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Http1WebSocketWire.KEY + "\r\nSec-WebSocket-Version: 8\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1)).responseText();
        assertTrue(answer.startsWith("HTTP/1.1 400 "), answer);
        assertTrue(answer.contains("\r\nSec-WebSocket-Version: 13\r\n"), answer);
    }

    @Test
    void refusesAKeyThatIsNotSixteenBytesWith400() {
        String answer = echo().feed(("GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: c2hvcnQ=\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1)).responseText();
        assertTrue(answer.startsWith("HTTP/1.1 400 "), answer);
    }

    @Test
    void withWebSocketsOffAnUpgradeIsAPlainRequest() {
        Http1WebSocketOptions off = new Http1WebSocketOptions(false, DataSize.ofMebibytes(1), Duration.ZERO,
                Duration.ZERO, Duration.ofSeconds(5), false);
        String answer = start(off, Http1WebSocketWire.echo()).feed(handshake("/ws")).responseText();
        assertTrue(answer.startsWith("HTTP/1.1 204 "), answer);
    }

    @Test
    void permessageDeflateIsAgreedWhenCompressionIsOn() {
        String head = start(Http1WebSocketOptions.DEFAULTS.withCompression(true), Http1WebSocketWire.echo())
                .feed(handshake("/ws", "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits"))
                .responseText();
        assertTrue(head.contains("\r\nSec-WebSocket-Extensions: permessage-deflate"), head);
    }

    @Test
    void compressionIsOffByDefault() {
        String head = echo().feed(handshake("/ws", "Sec-WebSocket-Extensions: permessage-deflate")).responseText();
        assertFalse(head.contains("Sec-WebSocket-Extensions"), head);
    }
}
