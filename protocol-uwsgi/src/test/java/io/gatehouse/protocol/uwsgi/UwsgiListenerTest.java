package io.gatehouse.protocol.uwsgi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.app.Headers;
import io.gatehouse.config.DataSize;
import io.gatehouse.core.exchange.Routing;
import io.gatehouse.core.testing.Feed;
import io.gatehouse.core.testing.ListenerHarness;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A whole uwsgi listener pipeline: request packets in, raw response bytes out, then the close. */
class UwsgiListenerTest {

    @ParameterizedTest
    @EnumSource(Feed.class)
    void answersOneRequestThenCloses(Feed feed) {
        byte[] packet = UwsgiRequestWriter.nginx("GET", "/app/caf%C3%A9?q=1").bytes();
        try (ListenerHarness listener = ListenerHarness.start(new UwsgiProtocol(), UwsgiOptions.DEFAULTS,
                ListenerHarness.echo())) {
            listener.feed(packet, feed);
            assertEquals("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
                    + "X-Path: /app/caf\u00c3\u00a9\r\nContent-Length: 0\r\n\r\n", listener.responseText());
            assertFalse(listener.open(), "uwsgi closes after each response");
            assertEquals(0, listener.warnings().size());
            assertFalse(listener.channel().finish());
        }
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void streamsARequestBodyToTheAppAndItsAnswerBack(Feed feed) {
        byte[] body = new byte[feed == Feed.BYTE_BY_BYTE ? 5000 : 200_000];
        new Random(3).nextBytes(body);
        byte[] packet = UwsgiRequestWriter.nginx("POST", "/upload").body(body).bytes();
        try (ListenerHarness listener = ListenerHarness.start(new UwsgiProtocol(), UwsgiOptions.DEFAULTS,
                ListenerHarness.echo())) {
            listener.feed(packet, feed);
            byte[] response = listener.response();
            String head = "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nX-Path: /upload\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n";
            assertEquals(head, new String(response, 0, head.length(), StandardCharsets.ISO_8859_1));
            assertArrayEquals(body, Arrays.copyOfRange(response, head.length(), response.length));
            assertFalse(listener.open());
            assertFalse(listener.channel().finish());
        }
    }

    /** Answers 204 at once, reading none of the body. */
    private static final Routing IGNORE_BODY = exchange -> {
        exchange.response().head(204, null, new Headers(), 0);
        exchange.response().end();
    };

    @Test
    void readsTheBodyNobodyReadBeforeClosingSoThePeerGetsNoReset() {
        byte[] packet = UwsgiRequestWriter.nginx("POST", "/").body(new byte[100_000]).bytes();
        int half = packet.length - 50_000;
        try (ListenerHarness listener = ListenerHarness.start(new UwsgiProtocol(), UwsgiOptions.DEFAULTS,
                IGNORE_BODY)) {
            listener.feed(Arrays.copyOf(packet, half), Feed.WHOLE);
            assertEquals("HTTP/1.1 204 No Content\r\n\r\n", listener.responseText());
            assertTrue(listener.open(), "still reading the 50000 bytes on their way");
            listener.feed(Arrays.copyOfRange(packet, half, packet.length - 1), Feed.RANDOM_SPLITS);
            assertTrue(listener.open());
            listener.feed(Arrays.copyOfRange(packet, packet.length - 1, packet.length), Feed.WHOLE);
            assertFalse(listener.open(), "closed once the body has ended");
            assertFalse(listener.channel().finish());
        }
    }

    @Test
    void closesFiveSecondsAfterTheResponseIfTheUnreadBodyNeverEnds() {
        byte[] packet = UwsgiRequestWriter.nginx("POST", "/").body(new byte[100_000]).bytes();
        try (ListenerHarness listener = ListenerHarness.start(new UwsgiProtocol(), UwsgiOptions.DEFAULTS,
                IGNORE_BODY)) {
            listener.feed(Arrays.copyOf(packet, packet.length - 10), Feed.WHOLE);
            listener.advance(4999);
            assertTrue(listener.open());
            listener.advance(1);
            assertFalse(listener.open());
            assertEquals("HTTP/1.1 204 No Content\r\n\r\n", listener.responseText());
            assertFalse(listener.channel().finish());
        }
    }

    @Test
    void answersABodyOverLimitPostAtOnceThenDrainsItBeforeClosing() {
        UwsgiOptions limited = new UwsgiOptions(DataSize.ofKibibytes(64), 1000,
                DataSize.ofKibibytes(1), Duration.ofSeconds(20),
                DataSize.ofKibibytes(256));
        byte[] packet = UwsgiRequestWriter.nginx("POST", "/").body(new byte[100_000]).bytes();
        try (ListenerHarness listener = ListenerHarness.start(new UwsgiProtocol(), limited, ListenerHarness.echo())) {
            listener.feed(Arrays.copyOf(packet, packet.length - 60_000), Feed.WHOLE);
            assertTrue(listener.responseText().startsWith("HTTP/1.1 413 Content Too Large\r\n"));
            assertTrue(listener.open(), "draining the body");
            listener.feed(Arrays.copyOfRange(packet, packet.length - 60_000, packet.length), Feed.RANDOM_SPLITS);
            assertFalse(listener.open());
            assertEquals(1, listener.warnings().size());
            assertFalse(listener.channel().finish());
        }
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void answersAnOversizedVarsBlockWith431AtOnce(Feed feed) {
        UwsgiOptions small = new UwsgiOptions(DataSize.ofBytes(1024), 1000,
                DataSize.ofBytes(0), Duration.ofSeconds(20),
                DataSize.ofKibibytes(256));
        byte[] packet = UwsgiRequestWriter.nginx("GET", "/").var("HTTP_COOKIE", "c".repeat(2000)).bytes();
        try (ListenerHarness listener = ListenerHarness.start(new UwsgiProtocol(), small, ListenerHarness.echo())) {
            listener.feed(Arrays.copyOf(packet, 4), feed);
            assertEquals("HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Type: text/plain; charset=utf-8\r\n"
                    + "Content-Length: 36\r\n\r\n431 Request Header Fields Too Large\n", listener.responseText());
            assertFalse(listener.open());
            assertEquals(1, listener.warnings().size());
            assertTrue(listener.warnings().get(0).endsWith("exceeds buffer-size 1024"), listener.warnings().get(0));
            assertFalse(listener.channel().finish());
        }
    }
}
