package io.gatehouse.protocol.scgi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.config.DataSize;
import io.gatehouse.core.testing.Feed;
import io.gatehouse.core.testing.ListenerHarness;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A whole scgi listener pipeline: requests in, raw response bytes out, then the close. */
class ScgiListenerTest {

    @ParameterizedTest
    @EnumSource(Feed.class)
    void answersOneRequestThenCloses(Feed feed) {
        byte[] packet = ScgiRequestWriter.nginx("GET", "/app/caf%C3%A9?q=1").bytes();
        try (ListenerHarness listener = ListenerHarness.start(new ScgiProtocol(), ScgiOptions.DEFAULTS,
                ListenerHarness.echo())) {
            listener.feed(packet, feed);
            assertEquals("Status: 200 OK\r\nContent-Type: application/octet-stream\r\n"
                    + "X-Path: /app/caf\u00c3\u00a9\r\nContent-Length: 0\r\n\r\n", listener.responseText());
            assertFalse(listener.open(), "SCGI closes after each response");
            assertEquals(0, listener.warnings().size());
            assertFalse(listener.channel().finish());
        }
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void streamsARequestBodyToTheAppAndItsAnswerBack(Feed feed) {
        byte[] body = new byte[feed == Feed.BYTE_BY_BYTE ? 5000 : 200_000];
        new Random(3).nextBytes(body);
        byte[] packet = ScgiRequestWriter.nginx("POST", "/upload").body(body).bytes();
        try (ListenerHarness listener = ListenerHarness.start(new ScgiProtocol(), ScgiOptions.DEFAULTS,
                ListenerHarness.echo())) {
            listener.feed(packet, feed);
            byte[] response = listener.response();
            String head = "Status: 200 OK\r\nContent-Type: application/octet-stream\r\nX-Path: /upload\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n";
            assertEquals(head, new String(response, 0, head.length(), StandardCharsets.ISO_8859_1));
            assertArrayEquals(body, Arrays.copyOfRange(response, head.length(), response.length));
            assertFalse(listener.open());
            assertFalse(listener.channel().finish());
        }
    }

    @Test
    void answersARequestWithoutScgiAtOnceThenDrainsItsBodyBeforeClosing() {
        byte[] request = ScgiRequestWriter.nginx("POST", "/").remove("SCGI").body(new byte[100_000]).bytes();
        try (ListenerHarness listener = ListenerHarness.start(new ScgiProtocol(), ScgiOptions.DEFAULTS,
                ListenerHarness.echo())) {
            listener.feed(Arrays.copyOf(request, request.length - 60_000), Feed.WHOLE);
            assertTrue(listener.responseText().startsWith("Status: 400 Bad Request\r\n"));
            assertTrue(listener.open(), "draining the body");
            listener.feed(Arrays.copyOfRange(request, request.length - 60_000, request.length), Feed.RANDOM_SPLITS);
            assertFalse(listener.open());
            assertFalse(listener.channel().finish());
        }
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void answersAnOversizedVarsBlockWith431AtOnce(Feed feed) {
        ScgiOptions small = new ScgiOptions(DataSize.ofBytes(1024), 1000,
                DataSize.ofBytes(0), Duration.ofSeconds(20),
                DataSize.ofKibibytes(256));
        byte[] packet = ScgiRequestWriter.nginx("GET", "/").var("HTTP_COOKIE", "c".repeat(2000)).bytes();
        try (ListenerHarness listener = ListenerHarness.start(new ScgiProtocol(), small, ListenerHarness.echo())) {
            listener.feed(Arrays.copyOf(packet, 5), feed);
            assertEquals("Status: 431 Request Header Fields Too Large\r\nContent-Type: text/plain; charset=utf-8\r\n"
                    + "Content-Length: 36\r\n\r\n431 Request Header Fields Too Large\n", listener.responseText());
            assertFalse(listener.open());
            assertEquals(1, listener.warnings().size());
            assertTrue(listener.warnings().get(0).endsWith("exceeds buffer-size 1024"), listener.warnings().get(0));
            assertFalse(listener.channel().finish());
        }
    }
}
