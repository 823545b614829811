package io.gatehouse.protocol.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * HTTP/2 frames as bytes, written by hand so a test can send what no well-behaved client would (a reset storm, a
 * CONTINUATION flood, a window kept at zero), and the server's frames read back (RFC 9113 4.1).
 */
final class Http2Wire {
    static final int DATA = 0;
    static final int HEADERS = 1;
    static final int RST_STREAM = 3;
    static final int SETTINGS = 4;
    static final int PING = 6;
    static final int GOAWAY = 7;
    static final int WINDOW_UPDATE = 8;
    static final int CONTINUATION = 9;
    static final int END_STREAM = 0x1;
    static final int END_HEADERS = 0x4;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final DefaultHttp2HeadersEncoder hpack = new DefaultHttp2HeadersEncoder();

    /** A frame the server sent. */
    record Frame(int type, int flags, int stream, byte[] payload, Http2Headers decoded) {
        boolean has(int flag) {
            return (flags & flag) != 0;
        }

        /** RST_STREAM's or GOAWAY's error code. */
        int errorCode() {
            ByteBuffer b = ByteBuffer.wrap(payload);
            return type == GOAWAY ? b.getInt(4) : b.getInt(0);
        }

        /** GOAWAY's last stream id. */
        int lastStreamId() {
            return ByteBuffer.wrap(payload).getInt(0) & 0x7fffffff;
        }

        int windowIncrement() {
            return ByteBuffer.wrap(payload).getInt() & 0x7fffffff;
        }

        Http2Headers headers() {
            return decoded;
        }

        String text() {
            return new String(payload, StandardCharsets.ISO_8859_1);
        }
    }

    /** The client preface and an empty SETTINGS frame. */
    Http2Wire preface() {
        out.writeBytes(io.netty.buffer.ByteBufUtil.getBytes(Http2CodecUtil.connectionPrefaceBuf()));
        return settings();
    }

    /** SETTINGS with the given (id, value) pairs. */
    Http2Wire settings(int... idValue) {
        ByteBuffer b = ByteBuffer.allocate(idValue.length * 3);
        for (int i = 0; i < idValue.length; i += 2) {
            b.putShort((short) idValue[i]).putInt(idValue[i + 1]);
        }
        return frame(SETTINGS, 0, 0, b.array());
    }

    /** A GET of {@code path}, its HEADERS ending the stream. */
    Http2Wire get(int stream, String path) {
        return headers(stream, request("GET", path), true);
    }

    static Http2Headers request(String method, String path) {
        return new DefaultHttp2Headers().method(method).scheme("http").path(path).authority("example.org");
    }

    Http2Wire headers(int stream, Http2Headers headers, boolean endStream) {
        return frame(HEADERS, END_HEADERS | (endStream ? END_STREAM : 0), stream, block(stream, headers));
    }

    /** The HPACK block of {@code headers}. */
    byte[] block(int stream, Http2Headers headers) {
        ByteBuf buf = Unpooled.buffer();
        try {
            hpack.encodeHeaders(stream, headers, buf);
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            return bytes;
        } catch (Http2Exception e) {
            throw new AssertionError(e);
        } finally {
            buf.release();
        }
    }

    Http2Wire data(int stream, byte[] bytes, boolean endStream) {
        return frame(DATA, endStream ? END_STREAM : 0, stream, bytes);
    }

    Http2Wire rst(int stream, long code) {
        return frame(RST_STREAM, 0, stream, ByteBuffer.allocate(4).putInt((int) code).array());
    }

    Http2Wire ping(long opaque) {
        return frame(PING, 0, 0, ByteBuffer.allocate(8).putLong(opaque).array());
    }

    Http2Wire windowUpdate(int stream, int increment) {
        return frame(WINDOW_UPDATE, 0, stream, ByteBuffer.allocate(4).putInt(increment).array());
    }

    Http2Wire frame(int type, int flags, int stream, byte[] payload) {
        out.write(payload.length >>> 16);
        out.write(payload.length >>> 8);
        out.write(payload.length);
        out.write(type);
        out.write(flags);
        out.writeBytes(ByteBuffer.allocate(4).putInt(stream).array());
        out.writeBytes(payload);
        return this;
    }

    /** Everything written so far, and starts afresh. */
    byte[] take() {
        byte[] bytes = out.toByteArray();
        out.reset();
        return bytes;
    }

    private static Http2Headers decode(DefaultHttp2HeadersDecoder hpack, int stream, byte[] payload) {
        ByteBuf block = Unpooled.wrappedBuffer(payload);
        try {
            return hpack.decodeHeaders(stream, block);
        } catch (Http2Exception e) {
            throw new AssertionError("cannot decode the server's HEADERS", e);
        } finally {
            block.release();
        }
    }

    /** The frames in what the server wrote (after its part of the preface, which is a SETTINGS frame). */
    static List<Frame> parse(byte[] bytes, DefaultHttp2HeadersDecoder hpack) {
        List<Frame> frames = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.remaining() >= 9) {
            int length = (b.get() & 0xff) << 16 | (b.get() & 0xff) << 8 | (b.get() & 0xff);
            int type = b.get() & 0xff;
            int flags = b.get() & 0xff;
            int stream = b.getInt() & 0x7fffffff;
            if (b.remaining() < length) {
                throw new AssertionError("truncated frame of type " + type);
            }
            byte[] payload = new byte[length];
            b.get(payload);
            frames.add(new Frame(type, flags, stream, payload, type == HEADERS ? decode(hpack, stream, payload) : null));
        }
        return frames;
    }
}
