package io.gatehouse.protocol.scgi;

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
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Decodes the one SCGI request of a connection: the netstring's length (checked against buffer-size before a byte
 * of the block is buffered), the headers block and its ',', then CONTENT_LENGTH bytes of body sliced off as they
 * arrive. Any fault in the netstring or its headers becomes a failed head, answered with a CGI {@code Status:}
 * that the front server passes on.
 */
final class ScgiDecoder extends ByteToMessageDecoder {
    private enum State { LENGTH, VARS, BODY, DONE, BAD_MESSAGE }

    private final int bufferSize;
    private final int maxVars;
    private final long limitPost;
    private State state = State.LENGTH;
    private int scanned;
    private int varsSize;
    private Environ environ;
    private long remaining;
    private long drain;

    ScgiDecoder(ScgiOptions options) {
        this.bufferSize = (int) options.bufferSize().bytes();
        this.maxVars = options.maxVars();
        this.limitPost = options.limitPost().bytes();
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        try {
            while (step(ctx, in, out)) {
                // each step consumed something; go on until one needs more bytes
            }
        } catch (ProtocolException e) {
            if (environ == null) {
                environ = new Environ(4);
            }
            refuse(e, in, out);
        }
    }

    private boolean step(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        return switch (state) {
            case LENGTH -> decodeLength(in);
            case VARS -> decodeVars(ctx, in, out);
            case BODY -> decodeBody(in, out);
            case DONE, BAD_MESSAGE -> {
                // one request per connection: whatever follows it is not ours to read
                in.skipBytes(in.readableBytes());
                yield false;
            }
        };
    }

    /** {@code [len]":"}: decimal digits, checked as they arrive, each byte looked at once. */
    private boolean decodeLength(ByteBuf in) {
        int start = in.readerIndex();
        int end = in.writerIndex();
        for (int i = start + scanned; i < end; i++) {
            byte b = in.getByte(i);
            if (b == ScgiConstants.COLON) {
                if (i == start) {
                    throw bad("netstring length is empty");
                }
                long length = Long.parseLong(in.toString(start, i - start, StandardCharsets.US_ASCII));
                if (length > bufferSize) {
                    throw new ProtocolException(Fault.HEADERS_TOO_LARGE, "vars block of " + length
                            + " bytes exceeds buffer-size " + bufferSize);
                }
                varsSize = (int) length;
                in.readerIndex(i + 1);
                scanned = 0;
                state = State.VARS;
                return true;
            }
            if (b < '0' || b > '9') {
                throw bad(String.format("netstring length has a non-digit byte 0x%02x", b & 0xff));
            }
            if (i - start >= ScgiConstants.MAX_LENGTH_DIGITS) {
                throw new ProtocolException(Fault.HEADERS_TOO_LARGE, "netstring length of more than "
                        + ScgiConstants.MAX_LENGTH_DIGITS + " digits exceeds buffer-size " + bufferSize);
            }
        }
        scanned = end - start;
        return false;
    }

    private boolean decodeVars(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.readableBytes() < varsSize + 1) {
            return false;
        }
        int r = in.readerIndex();
        environ = new Environ();
        if (in.getByte(r + varsSize) != ScgiConstants.COMMA) {
            throw bad("netstring of " + varsSize + " bytes is not followed by ','");
        }
        ScgiVars.decodeVars(in, r, varsSize, environ, maxVars);
        in.readerIndex(r + varsSize + 1);
        Environ env = environ;
        long length = CgiVars.contentLength(env.get(EnvironKeys.CONTENT_LENGTH));
        // the block is well-formed and says how long the body is: a refusal from here on can drain it
        drain = length;
        ScgiVars.requireScgi(env);
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

    private static ProtocolException bad(String detail) {
        return new ProtocolException(Fault.BAD_REQUEST, detail);
    }
}
