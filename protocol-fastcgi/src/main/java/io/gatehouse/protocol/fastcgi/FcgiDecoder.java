package io.gatehouse.protocol.fastcgi;

import static io.gatehouse.protocol.fastcgi.FcgiConstants.HEADER_LENGTH;

import io.gatehouse.spi.exchange.BodyChunk;
import io.gatehouse.spi.exchange.Fault;
import io.gatehouse.spi.exchange.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Decodes the record layer (section 3.3): headers, content and padding, whole or split across reads, several
 * records to a read. What a record means for its request is {@link FcgiInput}'s business; this class only asks it
 * whether to buffer the content (management records, BEGIN_REQUEST, PARAMS), stream it as body (STDIN, sliced
 * without copying) or skip it. A record with a version other than 1 closes the connection.
 */
final class FcgiDecoder extends ByteToMessageDecoder {
    private enum State { HEADER, CONTENT, STDIN, SKIP, PADDING, BAD_MESSAGE }

    /** What to do with a record's content once its header is read. */
    enum Content { BUFFER, STREAM, SKIP }

    private final FcgiInput input;
    private State state = State.HEADER;
    private int requestId;
    private int contentLength;
    private int padding;
    private int remaining;
    private FcgiRequest streaming;

    /** A decoder under {@code options}, on a listener of {@code maxConnections} (which FCGI_GET_VALUES tells). */
    FcgiDecoder(FcgiOptions options, int maxConnections, FcgiRequests requests) {
        this.input = new FcgiInput(options, maxConnections, requests);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        try {
            // a message at a time, so that what it leads to (a refusal or an answer that closes the connection) is
            // seen before the next record is read
            while (in.isReadable() && out.isEmpty() && ctx.channel().isActive() && step(ctx, in, out)) {
                // each step consumed bytes or finished a record; go on while bytes remain
            }
            if (!ctx.channel().isActive()) {
                // closed (FCGI_END_REQUEST without FCGI_KEEP_CONN, a fault, the peer): the rest of the read is not
                // read, as it would not be had it come a read later
                state = State.BAD_MESSAGE;
                in.skipBytes(in.readableBytes());
            }
        } catch (ProtocolException e) {
            state = State.BAD_MESSAGE;
            in.skipBytes(in.readableBytes());
            throw e;
        }
    }

    private boolean step(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        return switch (state) {
            case HEADER -> decodeHeader(ctx, in, out);
            case CONTENT -> decodeContent(ctx, in, out);
            case STDIN -> decodeStdin(in, out);
            case SKIP -> decodeSkip(in);
            case PADDING -> decodePadding(in);
            case BAD_MESSAGE -> {
                in.skipBytes(in.readableBytes());
                yield false;
            }
        };
    }

    private boolean decodeHeader(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.readableBytes() < HEADER_LENGTH) {
            return false;
        }
        int i = in.readerIndex();
        int version = in.getUnsignedByte(i);
        if (version != FcgiConstants.VERSION_1) {
            throw new ProtocolException(Fault.BAD_REQUEST, "record version " + version + " (expected 1)");
        }
        int typeCode = in.getUnsignedByte(i + 1);
        requestId = in.getUnsignedShort(i + 2);
        contentLength = in.getUnsignedShort(i + 4);
        padding = in.getUnsignedByte(i + 6);
        remaining = contentLength;
        in.skipBytes(HEADER_LENGTH);
        Content what = input.header(ctx, typeCode, requestId, contentLength, out);
        if (what == Content.STREAM) {
            streaming = input.streaming();
            state = State.STDIN;
        } else {
            state = what == Content.BUFFER ? State.CONTENT : State.SKIP;
        }
        if (contentLength == 0) {
            // complete with its header: act on it now, not when more bytes come
            return state == State.CONTENT ? decodeContent(ctx, in, out) : decodeSkip(in);
        }
        return true;
    }

    private boolean decodeContent(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.readableBytes() < contentLength) {
            return false;
        }
        input.content(ctx, in.readSlice(contentLength), out);
        reset();
        return true;
    }

    private boolean decodeStdin(ByteBuf in, List<Object> out) {
        int n = Math.min(in.readableBytes(), remaining);
        remaining -= n;
        if (streaming.discarding()) {
            in.skipBytes(n); // answered (or aborted) meanwhile: the rest of its body is not wanted
        } else {
            out.add(new BodyChunk(in.readRetainedSlice(n), requestId));
        }
        if (remaining == 0) {
            reset();
        }
        return true;
    }

    private boolean decodeSkip(ByteBuf in) {
        int n = Math.min(in.readableBytes(), remaining);
        in.skipBytes(n);
        remaining -= n;
        if (remaining == 0) {
            reset();
        }
        return true;
    }

    private boolean decodePadding(ByteBuf in) {
        int n = Math.min(in.readableBytes(), padding);
        in.skipBytes(n);
        padding -= n;
        if (padding == 0) {
            state = State.HEADER;
        }
        return true;
    }

    /** Back to the record boundary: the padding, if any, then the next header. */
    private void reset() {
        streaming = null;
        state = padding > 0 ? State.PADDING : State.HEADER;
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        input.release();
    }
}
