package io.gatehouse.core.testing.vars;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.gatehouse.core.testing.Feed;
import io.gatehouse.core.testing.LeakCheck;
import io.gatehouse.core.testing.ListenerHarness;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A whole {@link VarsProtocol} listener pipeline: requests in, raw response bytes out, then the close, which waits
 * for a body nobody read so that the front server gets the answer instead of a reset.
 */
@ExtendWith(LeakCheck.class)
public abstract class VarsListenerCases<O extends Record, W extends VarsRequestWriter<W>> {
    /** The protocol under test. */
    protected final VarsProtocol<O, W> wire;

    protected VarsListenerCases(VarsProtocol<O, W> wire) {
        this.wire = wire;
    }

    /** A listener of the protocol under test with its default options, answering with {@code echo}. */
    protected ListenerHarness listener() {
        return ListenerHarness.start(wire.protocol(), wire.defaults(), ListenerHarness.echo());
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    public void answersOneRequestThenCloses(Feed feed) {
        byte[] request = wire.nginx("GET", "/app/caf%C3%A9?q=1").bytes();
        try (ListenerHarness listener = listener()) {
            listener.feed(request, feed);
            assertEquals(wire.statusLine("HTTP/1.1", "200 OK") + "\r\nContent-Type: application/octet-stream\r\n"
                    + "X-Path: /app/caf\u00c3\u00a9\r\nContent-Length: 0\r\n\r\n", listener.responseText());
            assertFalse(listener.open(), wire.protocol().name() + " closes after each response");
            assertEquals(0, listener.warnings().size());
            assertFalse(listener.channel().finish());
        }
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    public void streamsARequestBodyToTheAppAndItsAnswerBack(Feed feed) {
        byte[] body = new byte[feed == Feed.BYTE_BY_BYTE ? 5000 : 200_000];
        new Random(3).nextBytes(body);
        byte[] request = wire.nginx("POST", "/upload").body(body).bytes();
        try (ListenerHarness listener = listener()) {
            listener.feed(request, feed);
            byte[] response = listener.response();
            String head = wire.statusLine("HTTP/1.1", "200 OK") + "\r\nContent-Type: application/octet-stream\r\n"
                    + "X-Path: /upload\r\nContent-Length: " + body.length + "\r\n\r\n";
            assertEquals(head, new String(response, 0, head.length(), StandardCharsets.ISO_8859_1));
            assertArrayEquals(body, Arrays.copyOfRange(response, head.length(), response.length));
            assertFalse(listener.open());
            assertFalse(listener.channel().finish());
        }
    }

    @Test
    public void readsTheBodyNobodyReadBeforeClosingSoThePeerGetsNoReset() {
        byte[] request = wire.nginx("POST", "/").body(new byte[100_000]).bytes();
        int half = request.length - 50_000;
        try (ListenerHarness listener = ListenerHarness.start(wire.protocol(), wire.defaults(),
                ListenerHarness.ignoreBody())) {
            listener.feed(Arrays.copyOf(request, half));
            assertEquals(wire.statusLine("HTTP/1.1", "204 No Content") + "\r\n\r\n", listener.responseText());
            assertTrue(listener.open(), "still reading the 50000 bytes on their way");
            listener.feed(Arrays.copyOfRange(request, half, request.length - 1), Feed.RANDOM_SPLITS);
            assertTrue(listener.open());
            listener.feed(Arrays.copyOfRange(request, request.length - 1, request.length));
            assertFalse(listener.open(), "closed once the body has ended");
            assertFalse(listener.channel().finish());
        }
    }

    @Test
    public void closesFiveSecondsAfterTheResponseIfTheUnreadBodyNeverEnds() {
        byte[] request = wire.nginx("POST", "/").body(new byte[100_000]).bytes();
        try (ListenerHarness listener = ListenerHarness.start(wire.protocol(), wire.defaults(),
                ListenerHarness.ignoreBody())) {
            listener.feed(Arrays.copyOf(request, request.length - 10));
            listener.advance(4999);
            assertTrue(listener.open());
            listener.advance(1);
            assertFalse(listener.open());
            assertEquals(wire.statusLine("HTTP/1.1", "204 No Content") + "\r\n\r\n", listener.responseText());
            assertFalse(listener.channel().finish());
        }
    }

    @Test
    public void answersABodyOverLimitPostAtOnceThenDrainsItBeforeClosing() {
        O limited = wire.options(64 * 1024, 1000, 1024, 256 * 1024);
        byte[] request = wire.nginx("POST", "/").body(new byte[100_000]).bytes();
        try (ListenerHarness listener = ListenerHarness.start(wire.protocol(), limited, ListenerHarness.echo())) {
            listener.feed(Arrays.copyOf(request, request.length - 60_000));
            assertTrue(listener.responseText().startsWith(wire.statusLine("HTTP/1.1", "413 Content Too Large")));
            assertTrue(listener.open(), "draining the body");
            listener.feed(Arrays.copyOfRange(request, request.length - 60_000, request.length), Feed.RANDOM_SPLITS);
            assertFalse(listener.open());
            assertEquals(1, listener.warnings().size());
            assertFalse(listener.channel().finish());
        }
    }

    @Test
    public void answersARefusedRequestAtOnceThenDrainsItsBodyBeforeClosing() {
        assumeTrue(wire.refused() != null, "no refusal with a known body length");
        byte[] request = wire.refused().body(new byte[100_000]).bytes();
        try (ListenerHarness listener = listener()) {
            listener.feed(Arrays.copyOf(request, request.length - 60_000));
            assertTrue(listener.responseText().startsWith(wire.statusLine("HTTP/1.1", "400 Bad Request")));
            assertTrue(listener.open(), "draining the body");
            listener.feed(Arrays.copyOfRange(request, request.length - 60_000, request.length), Feed.RANDOM_SPLITS);
            assertFalse(listener.open());
            assertFalse(listener.channel().finish());
        }
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    public void answersAnOversizedVarsBlockWith431AtOnce(Feed feed) {
        O small = wire.options(1024, 1000, 0, 256 * 1024);
        byte[] request = wire.nginx("GET", "/").var("HTTP_COOKIE", "c".repeat(2000)).bytes();
        try (ListenerHarness listener = ListenerHarness.start(wire.protocol(), small, ListenerHarness.echo())) {
            listener.feed(Arrays.copyOf(request, wire.sizePrefix(request)), feed);
            assertEquals(wire.statusLine("HTTP/1.1", "431 Request Header Fields Too Large") + "\r\nContent-Type: "
                    + "text/plain; charset=utf-8\r\nContent-Length: 36\r\n\r\n431 Request Header Fields Too Large\n",
                    listener.responseText());
            assertFalse(listener.open());
            assertEquals(1, listener.warnings().size());
            assertTrue(listener.warnings().get(0).endsWith("exceeds buffer-size 1024"), listener.warnings().get(0));
            assertFalse(listener.channel().finish());
        }
    }
}
