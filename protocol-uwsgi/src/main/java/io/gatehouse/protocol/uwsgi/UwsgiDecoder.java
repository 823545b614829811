package io.gatehouse.protocol.uwsgi;

import io.gatehouse.app.Environ;
import io.gatehouse.app.EnvironKeys;
import io.gatehouse.spi.exchange.BodyChunk;
import io.gatehouse.spi.exchange.EnvironHead;
import io.gatehouse.spi.exchange.Fault;
import io.gatehouse.spi.exchange.LastBodyChunk;
import io.gatehouse.spi.exchange.ProtocolException;
import io.gatehouse.spi.exchange.VarsReport;
import io.gatehouse.spi.protocol.CgiVars;
import io.gatehouse.spi.protocol.GatewayEnviron;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Decodes the one uwsgi request of a connection: the 4-byte header, the vars block (its size checked against
 * buffer-size before a byte of it is buffered), then CONTENT_LENGTH bytes of body sliced off as they arrive. A bad
 * header or vars block becomes a failed head, answered with its status in HTTP form (front servers pass it on);
 * a packet that is no request at all (ping, cache, RPC...) cannot be answered in a form its sender reads, so it
 * closes the connection.
 */
final class UwsgiDecoder extends ByteToMessageDecoder {
    private enum State { HEADER, VARS, BODY, DONE, BAD_MESSAGE }

    private final int bufferSize;
    private final int maxVars;
    private final long limitPost;
    private State state = State.HEADER;
    private UwsgiPacketType type;
    private int modifier2;
    private int datasize;
    private Environ environ;
    private long remaining;
    private long drain;

    UwsgiDecoder(UwsgiOptions options) {
        this.bufferSize = (int) Math.min(options.bufferSize().bytes(), UwsgiConstants.MAX_DATASIZE);
        this.maxVars = options.maxVars();
        this.limitPost = options.limitPost().bytes();
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        try {
            while (step(ctx, in, out)) {
                // each step consumed something (a vars block may be empty); go on until one needs more bytes
            }
        } catch (ProtocolException e) {
            if (environ == null) {
                state = State.BAD_MESSAGE;
                in.skipBytes(in.readableBytes());
                throw e;
            }
            refuse(e, in, out);
        }
    }

    private boolean step(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        return switch (state) {
            case HEADER -> decodeHeader(in);
            case VARS -> decodeVars(ctx, in, out);
            case BODY -> decodeBody(in, out);
            case DONE, BAD_MESSAGE -> {
                // one request per connection: whatever follows it is not ours to read
                in.skipBytes(in.readableBytes());
                yield false;
            }
        };
    }

    private boolean decodeHeader(ByteBuf in) {
        if (in.readableBytes() < UwsgiConstants.HEADER_SIZE) {
            return false;
        }
        int r = in.readerIndex();
        int modifier1 = in.getUnsignedByte(r);
        type = UwsgiPacketType.valueOf(modifier1);
        if (type == null) {
            throw new ProtocolException(Fault.NOT_IMPLEMENTED, "uwsgi packet with modifier1 " + modifier1
                    + " is not an HTTP request (only modifier1 0, 5-9, 14, 15 and 30 are served)");
        }
        datasize = in.getUnsignedShortLE(r + 1);
        modifier2 = in.getUnsignedByte(r + 3);
        in.skipBytes(UwsgiConstants.HEADER_SIZE);
        // from here on a fault can be answered: the sender speaks HTTP through a front server
        environ = new Environ();
        recordModifiers(environ);
        if (datasize > bufferSize) {
            throw new ProtocolException(Fault.HEADERS_TOO_LARGE, "vars block of " + datasize
                    + " bytes exceeds buffer-size " + bufferSize);
        }
        state = State.VARS;
        return true;
    }

    private boolean decodeVars(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.readableBytes() < datasize) {
            return false;
        }
        Environ env = environ;
        UwsgiVars.decodeVars(in, in.readerIndex(), datasize, env, maxVars);
        in.skipBytes(datasize);
        recordModifiers(env);
        long length = CgiVars.contentLength(env.get(EnvironKeys.CONTENT_LENGTH));
        // the block is well-formed and says how long the body is: a refusal from here on can drain it
        drain = length;
        if (type == UwsgiPacketType.WSGI_MANAGE_PATH_INFO) {
            UwsgiVars.stripScriptName(env);
        }
        VarsReport report = GatewayEnviron.complete(env, ctx.channel().localAddress());
        if (limitPost > 0 && length > limitPost) {
            throw new ProtocolException(Fault.PAYLOAD_TOO_LARGE, "CONTENT_LENGTH " + length + " exceeds limit-post "
                    + limitPost);
        }
        out.add(new EnvironHead(env, 0, length, false).varsReport(report));
        remaining = length;
        state = length > 0 ? State.BODY : State.DONE;
        return true;
    }

    /**
     * Emits a refused head. When the body's length is known, the body still passes as chunks so the listener can
     * drain it before it closes; otherwise everything that follows is skipped.
     */
    private void refuse(ProtocolException e, ByteBuf in, List<Object> out) {
        out.add(EnvironHead.failed(environ, 0, e, drain));
        remaining = drain;
        if (drain > 0) {
            state = State.BODY;
            decodeBody(in, out);
        } else {
            state = State.BAD_MESSAGE;
            in.skipBytes(in.readableBytes());
        }
    }

    private boolean decodeBody(ByteBuf in, List<Object> out) {
        if (!in.isReadable()) {
            return false;
        }
        int n = (int) Math.min(in.readableBytes(), remaining);
        remaining -= n;
        ByteBuf data = in.readRetainedSlice(n);
        if (remaining == 0) {
            out.add(new LastBodyChunk(data, 0));
            state = State.DONE;
        } else {
            out.add(new BodyChunk(data, 0));
        }
        return true;
    }

    /** The packet's modifiers as environ facts; put after the vars too, so no var can pose as them. */
    private void recordModifiers(Environ env) {
        env.put(UwsgiConstants.MODIFIER1_KEY, UwsgiConstants.decimal(type.code()));
        env.put(UwsgiConstants.MODIFIER2_KEY, UwsgiConstants.decimal(modifier2));
    }
}
