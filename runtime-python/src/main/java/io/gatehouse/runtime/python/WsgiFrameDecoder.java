package io.gatehouse.runtime.python;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits a worker connection's bytes into {@link WsgiFrame}s: a 5-byte header (payload length u32, type u8,
 * big-endian) and the payload, passed on as a retained slice so body data reaches the client without a copy.
 * The length and the type are checked before anything is buffered; after a bad one everything that follows is
 * dropped.
 */
final class WsgiFrameDecoder extends ByteToMessageDecoder {
    private final int maxPayload;
    private boolean failed;

    /** A decoder of the protocol's frames, up to {@link WsgiFrames#MAX_PAYLOAD} each. */
    WsgiFrameDecoder() {
        this(WsgiFrames.MAX_PAYLOAD);
    }

    /** A decoder of frames of at most {@code maxPayload} bytes (tests use less than the protocol's limit). */
    WsgiFrameDecoder(int maxPayload) {
        this.maxPayload = maxPayload;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws WsgiProtocolException {
        while (!failed && decodeFrame(in, out)) {
            // a small response is START, DATA and END in one read
        }
        if (failed) {
            in.skipBytes(in.readableBytes());
        }
    }

    /** Decodes one frame; false when more bytes are needed. */
    private boolean decodeFrame(ByteBuf in, List<Object> out) throws WsgiProtocolException {
        if (in.readableBytes() < WsgiFrames.HEADER_SIZE) {
            return false;
        }
        int at = in.readerIndex();
        long length = in.getUnsignedInt(at);
        if (length > maxPayload) {
            throw fail(in, "frame of " + length + " bytes is over the limit of " + maxPayload);
        }
        WsgiFrameType type = WsgiFrameType.valueOf(in.getByte(at + 4));
        if (type == null) {
            throw fail(in, "unknown frame type 0x" + Integer.toHexString(in.getUnsignedByte(at + 4)));
        }
        if (in.readableBytes() < WsgiFrames.HEADER_SIZE + length) {
            return false;
        }
        in.skipBytes(WsgiFrames.HEADER_SIZE);
        out.add(new WsgiFrame(type, in.readRetainedSlice((int) length)));
        return true;
    }

    private WsgiProtocolException fail(ByteBuf in, String problem) {
        failed = true;
        in.skipBytes(in.readableBytes());
        return new WsgiProtocolException(problem);
    }
}
