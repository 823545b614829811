package io.gatehouse.runtime.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gatehouse.app.Environ;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The payloads of the worker protocol as docs/worker-protocol.md lays them out. */
class WsgiFramesTest {
    private final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;

    @Test
    void encodesTheEnvironAsLengthsThenLatin1Text() {
        Environ env = new Environ().append("PATH_INFO", "/caf\u00e9").append("QUERY_STRING", "");
        ByteBuf buf = WsgiFrames.request(alloc, env, WsgiFrames.BODY_INLINE);
        try {
            assertEquals(buf.readableBytes() - 5, buf.readInt());
            assertEquals(WsgiFrameType.REQUEST.code(), buf.readByte());
            assertEquals(WsgiFrames.BODY_INLINE, buf.readByte());
            assertEquals(2, buf.readUnsignedShort());
            assertEquals(9, buf.readInt());
            assertEquals(5, buf.readInt());
            assertEquals(12, buf.readInt());
            assertEquals(0, buf.readInt());
            byte[] text = new byte[buf.readableBytes()];
            buf.readBytes(text);
            assertEquals("PATH_INFO\0/caf\u00e9\0QUERY_STRING\0\0", new String(text, StandardCharsets.ISO_8859_1));
            assertEquals(0xe9, text[14] & 0xff, "one byte per native-string character");
        } finally {
            buf.release();
        }
    }

    @Test
    void encodesAnEnvironOfExactlyThePayloadLimitAndRefusesOneByteMore() {
        // payload = mode + count (3) + two lengths (8) + "K" NUL value NUL (value + 3)
        int value = WsgiFrames.MAX_PAYLOAD - 14;
        ByteBuf atLimit = WsgiFrames.request(alloc, new Environ().append("K", "x".repeat(value)), WsgiFrames.BODY_NONE);
        try {
            assertEquals(WsgiFrames.MAX_PAYLOAD, atLimit.getInt(0));
        } finally {
            atLimit.release();
        }
        assertNull(WsgiFrames.request(alloc, new Environ().append("K", "x".repeat(value + 1)), WsgiFrames.BODY_NONE));
    }

    static ByteBuf startPayload(long length, String... parts) {
        ByteBuf p = Unpooled.buffer().writeLong(length).writeShort((parts.length - 1) / 2);
        for (String part : parts) {
            p.writeInt(part.length());
        }
        for (String part : parts) {
            p.writeCharSequence(part, StandardCharsets.ISO_8859_1);
        }
        return p;
    }

    @Test
    void readsStatusReasonHeadersAndLength() throws WsgiProtocolException {
        WsgiFrames.Start s = WsgiFrames.start(startPayload(14, "201 Made It", "Content-Type", "text/plain",
                "Set-Cookie", "a=1", "Set-Cookie", "b=\u00ff"));
        assertEquals(201, s.status());
        assertEquals("Made It", s.reason());
        assertEquals(14, s.length());
        assertEquals("[Content-Type: text/plain, Set-Cookie: a=1, Set-Cookie: b=\u00ff]", s.headers().toString());
    }

    @Test
    void readsAnUnknownLengthAndABareStatus() throws WsgiProtocolException {
        WsgiFrames.Start s = WsgiFrames.start(startPayload(-1, "404 "));
        assertEquals(404, s.status());
        assertNull(s.reason());
        assertEquals(-1, s.length());
    }

    @Test
    void refusesAMalformedStatusOrLengthsThatDoNotAddUp() {
        assertEquals("malformed status line '2OO OK'", assertThrows(WsgiProtocolException.class,
                () -> WsgiFrames.start(startPayload(0, "2OO OK"))).getMessage());
        assertEquals("malformed status line '200OK'", assertThrows(WsgiProtocolException.class,
                () -> WsgiFrames.start(startPayload(0, "200OK"))).getMessage());
        ByteBuf extra = startPayload(0, "200 OK").writeByte('x');
        assertEquals("START lengths add up to 6 bytes, the payload has 7", assertThrows(WsgiProtocolException.class,
                () -> WsgiFrames.start(extra)).getMessage());
    }

    @Test
    void readsHelloFileAndMore() throws WsgiProtocolException {
        ByteBuf hello = Unpooled.buffer().writeByte(WsgiFrames.ROLE_LANE).writeInt(4242).writeShort(3)
                .writeBytes("cafe01".getBytes(StandardCharsets.US_ASCII));
        assertEquals(new WsgiFrames.Hello(WsgiFrames.ROLE_LANE, 4242, 3, "cafe01"), WsgiFrames.hello(hello));
        ByteBuf file = Unpooled.buffer().writeInt(7).writeLong(10).writeLong(9990);
        assertEquals(new WsgiFrames.FileOffer(7, 10, 9990), WsgiFrames.file(file));
        assertEquals(65536, WsgiFrames.more(Unpooled.buffer().writeInt(65536)));
        assertEquals("MORE asked for 0 bytes", assertThrows(WsgiProtocolException.class,
                () -> WsgiFrames.more(Unpooled.buffer().writeInt(0))).getMessage());
    }

    @Test
    void readsAWebSocketCloseOnlyWithACodeACloseFrameMayCarry() throws WsgiProtocolException {
        ByteBuf going = Unpooled.buffer().writeShort(1001).writeBytes("bye é".getBytes(StandardCharsets.UTF_8));
        assertEquals(new WsgiFrames.Close(1001, "bye é"), WsgiFrames.close(going));
        assertEquals(new WsgiFrames.Close(4000, ""), WsgiFrames.close(Unpooled.buffer().writeShort(4000)));
        for (int code : new int[] {999, 1004, 1005, 1006, 1015, 2999, 5000}) {
            assertEquals("WS_CLOSE with code " + code + ", which a close frame may not carry",
                    assertThrows(WsgiProtocolException.class,
                            () -> WsgiFrames.close(Unpooled.buffer().writeShort(code))).getMessage());
        }
    }
}
