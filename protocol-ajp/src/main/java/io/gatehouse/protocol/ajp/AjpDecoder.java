package io.gatehouse.protocol.ajp;

import io.gatehouse.spi.exchange.BodyChunk;
import io.gatehouse.spi.exchange.EnvironHead;
import io.gatehouse.spi.exchange.Fault;
import io.gatehouse.spi.exchange.LastBodyChunk;
import io.gatehouse.spi.exchange.ProtocolException;
import io.gatehouse.spi.protocol.CodecEvent;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;

/**
 * Decodes AJP13 packets from the web server: a FORWARD_REQUEST becomes an {@link EnvironHead}, the body packets
 * that follow become body chunks (the data sliced from the input, not copied), and a CPING is answered with a
 * CPONG at once. Every packet is checked before it is buffered: a wrong magic or a length over packet-size means
 * the stream cannot be trusted, so the connection closes. A forward request that arrived whole but cannot be
 * served (malformed, over a limit, without the secret) becomes a failed head, answered in AJP form before the
 * connection closes. Body packets are whole packets too, so a body error closes the connection.
 */
final class AjpDecoder extends ByteToMessageDecoder {
    private enum State { HEADER, PAYLOAD, BAD_MESSAGE }

    private static final ByteBuf CPONG = Unpooled.unreleasableBuffer(Unpooled.directBuffer(5)
            .writeShort(AjpConstants.MAGIC_OUT).writeShort(1).writeByte(AjpConstants.CPONG_REPLY)).asReadOnly();

    private final AjpOptions options;
    private final AjpBodyFlow flow;
    private final int maxPayload;
    private AjpForwardRequest request;
    private State state = State.HEADER;
    private int length;
    private long remaining;
    private long received;

    AjpDecoder(AjpOptions options, AjpBodyFlow flow) {
        this.options = options;
        this.flow = flow;
        this.maxPayload = options.packetBytes() - AjpConstants.HEADER_SIZE;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (request == null) {
            request = new AjpForwardRequest(options, peer(ctx.channel().remoteAddress()));
        }
        try {
            while (step(ctx, in, out)) {
                // each step consumed a header or a whole packet (possibly empty); go on until one needs more bytes
            }
        } catch (ProtocolException e) {
            stopDecoding();
            in.skipBytes(in.readableBytes());
            throw e;
        }
    }

    private boolean step(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        return switch (state) {
            case HEADER -> decodeHeader(in);
            case PAYLOAD -> decodePayload(ctx, in, out);
            case BAD_MESSAGE -> {
                in.skipBytes(in.readableBytes());
                yield false;
            }
        };
    }

    private boolean decodeHeader(ByteBuf in) {
        if (in.readableBytes() < AjpConstants.HEADER_SIZE) {
            return false;
        }
        int magic = in.getUnsignedShort(in.readerIndex());
        if (magic != AjpConstants.MAGIC_IN) {
            throw new ProtocolException(Fault.BAD_REQUEST, String.format("bad packet magic 0x%04X (expected 0x1234;"
                    + " is something other than an AJP13 web server connected?)", magic));
        }
        length = in.getUnsignedShort(in.readerIndex() + 2);
        if (length > maxPayload) {
            throw new ProtocolException(Fault.PAYLOAD_TOO_LARGE, "packet of " + (length + AjpConstants.HEADER_SIZE)
                    + " bytes exceeds packet-size " + options.packetBytes());
        }
        in.skipBytes(AjpConstants.HEADER_SIZE);
        state = State.PAYLOAD;
        return true;
    }

    private boolean decodePayload(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.readableBytes() < length) {
            return false;
        }
        int start = in.readerIndex();
        in.skipBytes(length);
        state = State.HEADER;
        if (flow.bodyPacketDue()) {
            if (flow.bodyPacketArrived()) {
                decodeBody(in, start, out);
            }
            return true;
        }
        int code = length == 0 ? -1 : in.getUnsignedByte(start);
        if (code == AjpConstants.FORWARD_REQUEST) {
            decodeForward(in, start, out);
        } else if (code == AjpConstants.CPING && length == 1) {
            ctx.writeAndFlush(CPONG.duplicate(), ctx.voidPromise());
            ctx.pipeline().fireUserEventTriggered(CodecEvent.CONTROL_ANSWERED);
        } else {
            throw new ProtocolException(Fault.BAD_REQUEST, length == 0 ? "empty packet outside a request body"
                    : "unexpected packet type " + code + " of " + length + " bytes");
        }
        return true;
    }

    private void decodeForward(ByteBuf in, int start, List<Object> out) {
        if (flow.responding()) {
            throw new ProtocolException(Fault.BAD_REQUEST, "forward request before the previous response ended");
        }
        EnvironHead head;
        try {
            head = request.decode(new AjpPayload(in, start + 1, length - 1));
        } catch (ProtocolException e) {
            // A body of unknown length keeps the core from closing before a packet on its way has arrived.
            out.add(request.bodyMayFollow() ? EnvironHead.failed(request.partial(), 0, e, EnvironHead.UNKNOWN_LENGTH)
                    : EnvironHead.failed(request.partial(), 0, e));
            state = State.BAD_MESSAGE;
            in.skipBytes(in.readableBytes());
            return;
        }
        out.add(head);
        remaining = head.contentLength();
        received = 0;
        flow.requestStarted(remaining);
    }

    private void decodeBody(ByteBuf in, int start, List<Object> out) {
        int size = length >= 2 ? in.getUnsignedShort(start) : 0;
        if (length == 1 || (length >= 2 && size > length - 2)) {
            throw new ProtocolException(Fault.BAD_REQUEST, "body packet of " + length + " bytes holds a chunk of "
                    + size + " bytes");
        }
        if (size == 0) {
            if (remaining > 0) {
                throw new ProtocolException(Fault.BAD_REQUEST, "request body ended after " + received + " of "
                        + (received + remaining) + " bytes");
            }
            flow.bodyEnded();
            out.add(LastBodyChunk.EMPTY);
            return;
        }
        if (remaining >= 0 && size > remaining) {
            throw new ProtocolException(Fault.BAD_REQUEST, "body chunk of " + size + " bytes overruns the "
                    + remaining + " bytes left of Content-Length " + (received + remaining));
        }
        received += size;
        long max = options.maxBodySize().bytes();
        if (max > 0 && received > max) {
            throw new ProtocolException(Fault.PAYLOAD_TOO_LARGE, "chunked body exceeds max-body-size " + max);
        }
        ByteBuf data = in.retainedSlice(start + 2, size);
        if (remaining > 0 && (remaining -= size) == 0) {
            flow.bodyEnded();
            out.add(new LastBodyChunk(data, 0));
            return;
        }
        flow.wantMore(remaining);
        out.add(new BodyChunk(data, 0));
    }

    /** The stream cannot be trusted any more: skip what comes, ask for nothing, let the core close. */
    private void stopDecoding() {
        state = State.BAD_MESSAGE;
        flow.responseEnded();
    }

    /** The web server's end of this connection, as {@code addr:port}, or "unix". */
    private static String peer(SocketAddress remote) {
        if (remote instanceof InetSocketAddress inet) {
            String addr = inet.getAddress() != null ? inet.getAddress().getHostAddress() : inet.getHostString();
            return addr + ":" + inet.getPort();
        }
        return "unix";
    }
}
