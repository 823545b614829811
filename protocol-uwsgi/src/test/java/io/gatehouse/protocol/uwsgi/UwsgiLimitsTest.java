package io.gatehouse.protocol.uwsgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.config.DataSize;
import io.gatehouse.core.testing.Decoded;
import io.gatehouse.core.testing.Feed;
import io.gatehouse.core.testing.ListenerHarness;
import io.gatehouse.spi.exchange.EnvironHead;
import io.gatehouse.spi.exchange.Fault;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every limit of a uwsgi listener, at its value and one past it. */
class UwsgiLimitsTest {

    private static UwsgiOptions options(int bufferSize, int maxVars, long limitPost) {
        return new UwsgiOptions(DataSize.ofBytes(bufferSize), maxVars, DataSize.ofBytes(limitPost),
                Duration.ofSeconds(2), DataSize.ofKibibytes(4));
    }

    private static EnvironHead decode(UwsgiOptions options, byte[] packet) {
        EmbeddedChannel channel = new EmbeddedChannel(new UwsgiDecoder(options));
        List<Decoded> all = Decoded.feed(channel, packet, Feed.RANDOM_SPLITS);
        assertFalse(channel.finish());
        assertEquals(1, all.size());
        return all.get(0).head();
    }

    /** A GET whose vars block is exactly {@code size} bytes, padded by one var. */
    private static UwsgiRequestWriter varsOf(int size) {
        UwsgiRequestWriter w = UwsgiRequestWriter.nginx("GET", "/");
        int pad = size - w.varsSize() - (2 + "HTTP_X_PAD".length() + 2);
        return w.var("HTTP_X_PAD", "p".repeat(pad));
    }

    @Test
    void acceptsAVarsBlockOfExactlyBufferSize() {
        byte[] packet = varsOf(4096).bytes();
        assertEquals(4096, varsOf(4096).varsSize());
        assertFalse(decode(options(4096, 1000, 0), packet).isFailed());
    }

    @Test
    void rejectsVarsBlockOverBufferSizeWith431() {
        EnvironHead head = decode(options(4096, 1000, 0), varsOf(4097).bytes());
        assertTrue(head.isFailed());
        assertEquals(Fault.HEADERS_TOO_LARGE, head.failure().fault());
        assertEquals("vars block of 4097 bytes exceeds buffer-size 4096", head.failure().getMessage());
    }

    @Test
    void defaultBufferSizeAdmitsTheLargestPacketAHeaderCanDescribe() {
        UwsgiRequestWriter largest = varsOf(UwsgiConstants.MAX_DATASIZE);
        assertEquals(0xffff, largest.varsSize());
        EnvironHead head = decode(UwsgiOptions.DEFAULTS, largest.bytes());
        assertFalse(head.isFailed(), () -> head.failure().getMessage());
        assertTrue(head.environ().get("HTTP_X_PAD").length() > 65_000);
    }

    @Test
    void acceptsExactlyMaxVars() {
        UwsgiRequestWriter w = UwsgiRequestWriter.empty().var("REQUEST_METHOD", "GET");
        for (int i = 1; i < 16; i++) {
            w.var("HTTP_X_" + i, "v");
        }
        assertFalse(decode(options(4096, 16, 0), w.bytes()).isFailed());
    }

    @Test
    void rejectsMoreThanMaxVarsWith431() {
        UwsgiRequestWriter w = UwsgiRequestWriter.empty().var("REQUEST_METHOD", "GET");
        for (int i = 1; i <= 16; i++) {
            w.var("HTTP_X_" + i, "v");
        }
        EnvironHead head = decode(options(4096, 16, 0), w.bytes());
        assertEquals(Fault.HEADERS_TOO_LARGE, head.failure().fault());
        assertEquals("vars block has more than max-vars 16 vars", head.failure().getMessage());
    }

    @Test
    void acceptsABodyOfExactlyLimitPost() {
        EnvironHead head = decode(options(4096, 1000, 1000), UwsgiRequestWriter.nginx("POST", "/")
                .body(new byte[1000]).bytes());
        assertFalse(head.isFailed());
        assertEquals(1000, head.contentLength());
    }

    @Test
    void rejectsABodyOverLimitPostWith413AndPassesItOnToBeDrained() {
        byte[] packet = UwsgiRequestWriter.nginx("POST", "/").body(new byte[1001]).bytes();
        EmbeddedChannel channel = new EmbeddedChannel(new UwsgiDecoder(options(4096, 1000, 1000)));
        List<Decoded> all = Decoded.feed(channel, packet, Feed.RANDOM_SPLITS);
        assertFalse(channel.finish());
        EnvironHead head = all.get(0).head();
        assertEquals(Fault.PAYLOAD_TOO_LARGE, head.failure().fault());
        assertEquals("CONTENT_LENGTH 1001 exceeds limit-post 1000", head.failure().getMessage());
        assertEquals(1001, head.contentLength());
        assertEquals(1001, all.get(0).body().length);
        assertTrue(all.get(0).ended());
    }

    @Test
    void answersAHeadStillIncompleteAtHeaderTimeoutWith408() {
        byte[] packet = UwsgiRequestWriter.nginx("GET", "/").bytes();
        try (ListenerHarness listener = ListenerHarness.start(new UwsgiProtocol(), options(4096, 1000, 0),
                ListenerHarness.echo())) {
            listener.feed(Arrays.copyOf(packet, 10), Feed.WHOLE);
            listener.advance(1999);
            assertEquals("", listener.responseText());
            assertTrue(listener.open());
            listener.advance(1);
            assertTrue(listener.responseText().startsWith("HTTP/1.1 408 Request Timeout\r\n"));
            assertFalse(listener.open());
            assertTrue(listener.warnings().get(0).contains("header-timeout 2000 ms"), listener.warnings().get(0));
            assertFalse(listener.channel().finish());
        }
    }

    @Test
    void pausesReadingOnceMoreThanBodyBufferIsQueued() {
        byte[] head = UwsgiRequestWriter.nginx("POST", "/").body(new byte[10_000]).bytes();
        int headLength = head.length - 10_000;
        try (ListenerHarness listener = ListenerHarness.start(new UwsgiProtocol(), options(4096, 1000, 0),
                exchange -> { })) {
            listener.feed(Arrays.copyOf(head, headLength + 4096), Feed.WHOLE);
            assertTrue(listener.channel().config().isAutoRead(), "4096 bytes queued: still reading");
            listener.feed(Arrays.copyOfRange(head, headLength + 4096, headLength + 4097), Feed.WHOLE);
            assertFalse(listener.channel().config().isAutoRead(), "4097 bytes queued: paused");
            listener.channel().close();
            assertFalse(listener.channel().finish());
        }
    }
}
