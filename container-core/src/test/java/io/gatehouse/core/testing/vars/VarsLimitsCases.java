package io.gatehouse.core.testing.vars;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.testing.Decoded;
import io.gatehouse.core.testing.Feed;
import io.gatehouse.core.testing.LeakCheck;
import io.gatehouse.core.testing.ListenerHarness;
import io.gatehouse.spi.exchange.EnvironHead;
import io.gatehouse.spi.exchange.Fault;
import io.gatehouse.spi.protocol.ConnectionLimits;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every limit of a {@link VarsProtocol} listener, at its value and one past it. */
@ExtendWith(LeakCheck.class)
public abstract class VarsLimitsCases<O extends Record, W extends VarsRequestWriter<W>> {
    /** The protocol under test. */
    protected final VarsProtocol<O, W> wire;

    protected VarsLimitsCases(VarsProtocol<O, W> wire) {
        this.wire = wire;
    }

    /** Options with these limits, a 2 s header-timeout and a 4 KiB body buffer. */
    protected O options(int bufferSize, int maxVars, long limitPost) {
        return wire.options(bufferSize, maxVars, limitPost, 4096);
    }

    /** The head {@code request} decodes to under {@code options}, fed in random splits on a connection of its own. */
    protected EnvironHead decode(O options, byte[] request) {
        return decodeAll(options, request).head();
    }

    private Decoded decodeAll(O options, byte[] request) {
        EmbeddedChannel channel = new EmbeddedChannel(wire.decoder(options));
        List<Decoded> all = Decoded.feed(channel, request, Feed.RANDOM_SPLITS);
        assertFalse(channel.finish());
        assertEquals(1, all.size());
        return all.get(0);
    }

    /** A GET whose vars block is exactly {@code size} bytes, padded by one var. */
    protected W varsOf(int size) {
        return wire.nginx("GET", "/").padVarsTo(size);
    }

    /** The fewest vars a request may have, padded with more up to {@code count}. */
    private W varsCount(int count) {
        W w = wire.minimal();
        for (int i = w.varCount(); i < count; i++) {
            w.var("HTTP_X_" + i, "v");
        }
        return w;
    }

    @Test
    public void acceptsAVarsBlockOfExactlyBufferSize() {
        assertEquals(4096, varsOf(4096).varsSize());
        assertFalse(decode(options(4096, 1000, 0), varsOf(4096).bytes()).isFailed());
    }

    @Test
    public void rejectsVarsBlockOverBufferSizeWith431() {
        EnvironHead head = decode(options(4096, 1000, 0), varsOf(4097).bytes());
        assertTrue(head.isFailed());
        assertEquals(Fault.HEADERS_TOO_LARGE, head.failure().fault());
        assertEquals("vars block of 4097 bytes exceeds buffer-size 4096", head.failure().getMessage());
    }

    @Test
    public void acceptsExactlyMaxVars() {
        assertFalse(decode(options(4096, 16, 0), varsCount(16).bytes()).isFailed());
    }

    @Test
    public void rejectsMoreThanMaxVarsWith431() {
        EnvironHead head = decode(options(4096, 16, 0), varsCount(17).bytes());
        assertEquals(Fault.HEADERS_TOO_LARGE, head.failure().fault());
        assertEquals("vars block has more than max-vars 16 vars", head.failure().getMessage());
    }

    @Test
    public void acceptsABodyOfExactlyLimitPost() {
        EnvironHead head = decode(options(4096, 1000, 1000), wire.nginx("POST", "/").body(new byte[1000]).bytes());
        assertFalse(head.isFailed());
        assertEquals(1000, head.contentLength());
    }

    @Test
    public void rejectsABodyOverLimitPostWith413AndPassesItOnToBeDrained() {
        Decoded d = decodeAll(options(4096, 1000, 1000), wire.nginx("POST", "/").body(new byte[1001]).bytes());
        assertEquals(Fault.PAYLOAD_TOO_LARGE, d.head().failure().fault());
        assertEquals("CONTENT_LENGTH 1001 exceeds limit-post 1000", d.head().failure().getMessage());
        assertEquals(1001, d.head().contentLength());
        assertEquals(1001, d.body().length);
        assertTrue(d.ended());
    }

    @Test
    public void answersAHeadStillIncompleteAtHeaderTimeoutWith408() {
        byte[] request = wire.nginx("GET", "/").bytes();
        ConnectionLimits limits = ConnectionLimits.defaults(wire.protocol()).withHeaderTimeout(Duration.ofSeconds(2));
        try (ListenerHarness listener = ListenerHarness.start(wire.protocol(), options(4096, 1000, 0), limits,
                ListenerHarness.echo())) {
            listener.feed(Arrays.copyOf(request, 10));
            listener.advance(1999);
            assertEquals("", listener.responseText());
            assertTrue(listener.open());
            listener.advance(1);
            String timedOut = wire.statusLine("HTTP/1.1", "408 Request Timeout") + "\r\n";
            assertTrue(listener.responseText().startsWith(timedOut));
            assertFalse(listener.open());
            assertTrue(listener.warnings().get(0).contains("header-timeout 2000 ms"), listener.warnings().get(0));
            assertFalse(listener.channel().finish());
        }
    }

    @Test
    public void pausesReadingOnceMoreThanBodyBufferIsQueued() {
        byte[] request = wire.nginx("POST", "/").body(new byte[10_000]).bytes();
        int headLength = request.length - 10_000;
        try (ListenerHarness listener = ListenerHarness.start(wire.protocol(), options(4096, 1000, 0),
                exchange -> { })) {
            listener.feed(Arrays.copyOf(request, headLength + 4096));
            assertTrue(listener.channel().config().isAutoRead(), "4096 bytes queued: still reading");
            listener.feed(Arrays.copyOfRange(request, headLength + 4096, headLength + 4097));
            assertFalse(listener.channel().config().isAutoRead(), "4097 bytes queued: paused");
            listener.channel().close();
            assertFalse(listener.channel().finish());
        }
    }

    @Test
    public void answersABodyStalledForBodyTimeoutWith408() {
        byte[] request = wire.nginx("POST", "/").body(new byte[1000]).bytes();
        int stall = request.length - 500;
        ConnectionLimits limits = ConnectionLimits.defaults(wire.protocol()).withBodyTimeout(Duration.ofSeconds(1));
        try (ListenerHarness listener = ListenerHarness.start(wire.protocol(), wire.defaults(), limits,
                ListenerHarness.echo())) {
            listener.feed(Arrays.copyOf(request, stall));
            listener.advance(999);
            listener.feed(Arrays.copyOfRange(request, stall, stall + 1));
            listener.advance(999);
            assertEquals("", listener.responseText(), "each read starts the wait again");
            assertTrue(listener.open());
            listener.advance(1);
            String timedOut = wire.statusLine("HTTP/1.1", "408 Request Timeout") + "\r\n";
            assertTrue(listener.responseText().startsWith(timedOut), listener.responseText());
            assertFalse(listener.open());
            assertEquals(1, listener.warnings().size(), listener.warnings()::toString);
            assertTrue(listener.warnings().get(0).contains("request body stalled: no bytes within body-timeout 1000 ms"),
                    listener.warnings().get(0));
            assertFalse(listener.channel().finish());
        }
    }

    @Test
    public void blamesNoClientForItsSilenceWhileTheAppIsBehind() {
        byte[] request = wire.nginx("POST", "/").body(new byte[10_000]).bytes();
        int headLength = request.length - 10_000;
        ConnectionLimits limits = ConnectionLimits.defaults(wire.protocol()).withBodyTimeout(Duration.ofSeconds(1));
        try (ListenerHarness listener = ListenerHarness.start(wire.protocol(), options(4096, 1000, 0), limits,
                exchange -> { })) {
            listener.feed(Arrays.copyOf(request, headLength + 5000));
            assertFalse(listener.channel().config().isAutoRead(), "the body buffer is full: reading paused");
            listener.advance(10_000);
            assertTrue(listener.open(), "a client held back by backpressure is not stalled");
            assertEquals("", listener.responseText());
            listener.channel().close();
            assertFalse(listener.channel().finish());
        }
    }
}
