package io.gatehouse.runtime.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gatehouse.core.testing.Feed;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Splitting a worker connection's bytes into frames, however the bytes arrive. */
class WsgiFrameDecoderTest {
    private final EmbeddedChannel channel = new EmbeddedChannel(new WsgiFrameDecoder());

    @AfterEach
    void finish() {
        assertFalse(channel.finish());
    }

    static byte[] frame(WsgiFrameType type, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(payload.length >>> 24);
        out.write(payload.length >>> 16);
        out.write(payload.length >>> 8);
        out.write(payload.length);
        out.write(type.code());
        out.writeBytes(payload);
        return out.toByteArray();
    }

    private List<String> decode(Feed feed, byte[] input) {
        for (ByteBuf part : feed.split(input)) {
            channel.writeInbound(part);
        }
        List<String> frames = new ArrayList<>();
        for (WsgiFrame f; (f = channel.readInbound()) != null; ) {
            frames.add(f.type() + ":" + f.content().toString(StandardCharsets.ISO_8859_1));
            f.release();
        }
        return frames;
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void decodesASmallResponseBatch(Feed feed) {
        ByteArrayOutputStream batch = new ByteArrayOutputStream();
        batch.writeBytes(frame(WsgiFrameType.START, "head".getBytes(StandardCharsets.US_ASCII)));
        batch.writeBytes(frame(WsgiFrameType.DATA, "Hello, world!\n".getBytes(StandardCharsets.US_ASCII)));
        batch.writeBytes(frame(WsgiFrameType.END, new byte[0]));
        assertEquals(List.of("START:head", "DATA:Hello, world!\n", "END:"), decode(feed, batch.toByteArray()));
    }

    @Test
    void waitsForTheWholePayload() {
        byte[] data = frame(WsgiFrameType.DATA, "abcdef".getBytes(StandardCharsets.US_ASCII));
        channel.writeInbound(Unpooled.wrappedBuffer(data, 0, data.length - 1));
        assertNull(channel.readInbound());
        channel.writeInbound(Unpooled.wrappedBuffer(data, data.length - 1, 1));
        WsgiFrame f = channel.readInbound();
        assertEquals("abcdef", f.content().toString(StandardCharsets.US_ASCII));
        f.release();
    }

    @Test
    void acceptsAPayloadOfExactlyTheLimit() {
        byte[] payload = new byte[WsgiFrames.MAX_PAYLOAD];
        channel.writeInbound(Unpooled.wrappedBuffer(frame(WsgiFrameType.DATA, payload)));
        WsgiFrame f = channel.readInbound();
        assertEquals(WsgiFrames.MAX_PAYLOAD, f.content().readableBytes());
        f.release();
    }

    @Test
    void rejectsALengthOneOverTheLimitBeforeBuffering() {
        ByteBuf header = Unpooled.buffer().writeInt(WsgiFrames.MAX_PAYLOAD + 1)
                .writeByte(WsgiFrameType.DATA.code());
        DecoderException e = assertThrows(DecoderException.class, () -> channel.writeInbound(header));
        assertInstanceOf(WsgiProtocolException.class, e.getCause());
        assertEquals("frame of 1048577 bytes is over the limit of 1048576", e.getCause().getMessage());
    }

    @Test
    void rejectsAnUnknownTypeBeforeBufferingAndDropsTheRest() {
        byte[] end = frame(WsgiFrameType.END, new byte[0]);
        ByteBuf unknown = Unpooled.buffer().writeInt(0).writeByte(0x40).writeBytes(end);
        DecoderException e = assertThrows(DecoderException.class, () -> channel.writeInbound(unknown));
        assertEquals("unknown frame type 0x40", e.getCause().getMessage());
        channel.writeInbound(Unpooled.wrappedBuffer(end));
        assertNull(channel.readInbound(), "nothing is decoded after a bad header");
    }
}
