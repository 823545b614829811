package io.gatehouse.protocol.ajp;

import static io.gatehouse.protocol.ajp.AjpRequestWriter.body;
import static io.gatehouse.protocol.ajp.AjpRequestWriter.join;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.testing.Decoded;
import io.gatehouse.core.testing.Feed;
import io.gatehouse.core.testing.LeakCheck;
import io.gatehouse.spi.exchange.Fault;
import io.gatehouse.spi.exchange.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every limit of the decoder at N (accepted) and N+1 (refused). */
@ExtendWith(LeakCheck.class)
class AjpLimitsTest {
    private EmbeddedChannel channel;

    @AfterEach
    void finish() {
        AjpReply.drain(channel);
        Decoded.drain(channel);
        assertFalse(channel.finish());
    }

    /** A forward request of exactly {@code total} bytes, header included, padded with one header value. */
    static byte[] forwardOfSize(int total) {
        int base = AjpRequestWriter.get("/pad").header("X-Pad", "").payload().length;
        return AjpRequestWriter.get("/pad").header("X-Pad", "p".repeat(total - 4 - base)).build();
    }

    /** Feeds body packets and drops the chunks they decode to. */
    private void feedBody(byte[] input, Feed feed) {
        feed.split(input).forEach(channel::writeInbound);
        for (Object m; (m = channel.readInbound()) != null; ) {
            io.netty.util.ReferenceCountUtil.release(m);
        }
    }

    private ProtocolException closes(byte[] input, Feed feed) {
        DecoderException e = assertThrows(DecoderException.class, () -> {
            for (ByteBuf part : feed.split(input)) {
                channel.writeInbound(part);
            }
        });
        return assertInstanceOf(ProtocolException.class, e.getCause());
    }

    @ParameterizedTest
    @ValueSource(ints = {8192, 16384, 65536})
    void takesAForwardRequestOfPacketSizeAndClosesOnOneByteMore(int packetSize) {
        channel = AjpTestChannels.codec(AjpTestChannels.withPacketSize(packetSize));
        byte[] exact = forwardOfSize(packetSize);
        assertEquals(packetSize, exact.length);
        List<Decoded> ok = Decoded.feed(channel, exact, Feed.RANDOM_SPLITS);
        assertFalse(ok.get(0).head().isFailed());
        finish();
        channel = AjpTestChannels.codec(AjpTestChannels.withPacketSize(packetSize));
        ProtocolException e = closes(forwardOfSize(packetSize + 1), Feed.WHOLE);
        assertEquals("packet of " + (packetSize + 1) + " bytes exceeds packet-size " + packetSize, e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {8192, 16384})
    void takesBodyPacketsOfPacketSizeAndClosesOnOneByteMore(int packetSize) {
        channel = AjpTestChannels.codec(AjpTestChannels.withPacketSize(packetSize));
        byte[] post = AjpRequestWriter.get("/p").method("POST").header("Content-Length", "1000000").build();
        byte[] full = body(new byte[packetSize - 6]);
        assertEquals(packetSize, full.length);
        List<Decoded> first = Decoded.feed(channel, join(post, full), Feed.WHOLE);
        assertEquals(packetSize - 6, first.get(0).body().length);
        assertEquals(List.of(packetSize - 6), AjpReply.drain(channel).asks, "asks for full packets");
        ProtocolException e = closes(body(new byte[packetSize - 5]), Feed.WHOLE);
        assertTrue(e.getMessage().startsWith("packet of " + (packetSize + 1) + " bytes exceeds"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void refusesMoreHeadersThanMaxHeadersWith431(Feed feed) {
        channel = AjpTestChannels.codec(AjpTestChannels.options(8192, null, null, 5, 0, false));
        AjpRequestWriter five = AjpRequestWriter.get("/");
        for (int i = 1; i < 5; i++) {
            five.header("X-H" + i, "v");
        }
        assertFalse(Decoded.feed(channel, five.build(), feed).get(0).head().isFailed());
        finish();
        channel = AjpTestChannels.codec(AjpTestChannels.options(8192, null, null, 5, 0, false));
        List<Decoded> six = Decoded.feed(channel, five.header("X-H5", "v").build(), feed);
        ProtocolException e = six.get(0).head().failure();
        assertEquals(Fault.HEADERS_TOO_LARGE, e.fault());
        assertEquals("6 header fields exceed max-headers 5", e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void refusesAContentLengthOverMaxBodySizeWith413(Feed feed) {
        channel = AjpTestChannels.codec(AjpTestChannels.options(8192, null, null, 100, 1000, false));
        byte[] atLimit = AjpRequestWriter.get("/p").method("POST").header("Content-Length", "1000").build();
        List<Decoded> ok = Decoded.feed(channel, join(atLimit, body(new byte[1000])), feed);
        assertEquals(1000, ok.get(0).body().length);
        assertTrue(ok.get(0).ended());
        finish();
        channel = AjpTestChannels.codec(AjpTestChannels.options(8192, null, null, 100, 1000, false));
        byte[] over = AjpRequestWriter.get("/p").method("POST").header("Content-Length", "1001").build();
        ProtocolException e = Decoded.feed(channel, join(over, body(new byte[1001])), feed).get(0).head().failure();
        assertEquals(Fault.PAYLOAD_TOO_LARGE, e.fault());
        assertEquals("Content-Length 1001 exceeds max-body-size 1000", e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void closesWhenAChunkedBodyGrowsOverMaxBodySize(Feed feed) {
        channel = AjpTestChannels.codec(AjpTestChannels.options(8192, null, null, 100, 1000, false));
        byte[] chunked = AjpRequestWriter.get("/p").method("POST").plainHeader("Transfer-Encoding", "chunked")
                .build();
        Decoded.feed(channel, chunked, feed);
        AjpReply.drain(channel);
        feedBody(body(new byte[600]), feed);
        AjpReply.drain(channel);
        feedBody(body(new byte[400]), feed);
        assertEquals(1, AjpReply.drain(channel).asks.size(), "1000 bytes are allowed");
        ProtocolException e = closes(body(new byte[1]), feed);
        assertEquals(Fault.PAYLOAD_TOO_LARGE, e.fault());
        assertEquals("chunked body exceeds max-body-size 1000", e.getMessage());
    }
}
