package io.gatehouse.protocol.ajp;

import io.gatehouse.app.Headers;
import io.gatehouse.spi.exchange.InterimResponse;
import io.gatehouse.spi.exchange.LastResponseChunk;
import io.gatehouse.spi.exchange.ResponseAbort;
import io.gatehouse.spi.exchange.ResponseChunk;
import io.gatehouse.spi.exchange.ResponseFile;
import io.gatehouse.spi.exchange.ResponseHead;
import io.gatehouse.spi.exchange.StatusReasons;
import io.gatehouse.spi.protocol.ResponseHeadWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.logging.Logger;

/**
 * Encodes responses as AJP13 packets to the web server: SEND_HEADERS with the status and coded header names,
 * SEND_BODY_CHUNKs of at most packet-size bytes (a file is framed lazily as it is sent, never read into memory),
 * and END_RESPONSE, whose reuse flag keeps the connection in the web server's pool unless it must close. It also
 * asks for request body packets (GET_BODY_CHUNK) when the connection reads; see {@link AjpBodyFlow}. One per
 * connection: it remembers the response in progress.
 */
final class AjpEncoder extends MessageToMessageEncoder<Object> {
    private static final Logger LOG = Logger.getLogger(AjpEncoder.class.getName());
    private static final ByteBuf NUL = Unpooled.unreleasableBuffer(Unpooled.directBuffer(1).writeByte(0)).asReadOnly();
    /** Pieces up to this size are copied into one buffer with their framing; larger ones are sliced. */
    private static final int COPY_BELOW = 1024;

    private final AjpBodyFlow flow;
    private final int packetSize;
    private final int maxData;
    private boolean bodyless;
    private boolean closeAfter;
    private boolean dropBody;

    AjpEncoder(AjpOptions options, AjpBodyFlow flow) {
        this.flow = flow;
        this.packetSize = options.packetBytes();
        this.maxData = packetSize - AjpConstants.SEND_BODY_OVERHEAD;
    }

    @Override
    public boolean acceptOutboundMessage(Object msg) {
        return msg instanceof ResponseHead || msg instanceof ResponseChunk || msg instanceof ResponseFile
                || msg instanceof LastResponseChunk || msg instanceof InterimResponse || msg instanceof ResponseAbort;
    }

    /**
     * Closes after a response only when the encoder itself replaced it (a head too large for a packet). Otherwise the
     * core closes when the response said so, lingering while the web server may still have a body packet on its way:
     * closing with unread bytes would reset the connection, and the web server could lose the END_RESPONSE.
     */
    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        boolean close = msg instanceof LastResponseChunk && dropBody;
        super.write(ctx, msg, promise);
        if (close) {
            promise.addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** The connection wants to read: ask for the next body packet if the body goes on. */
    @Override
    public void read(ChannelHandlerContext ctx) {
        ByteBuf ask = flow.nextRequest(ctx.alloc());
        if (ask != null) {
            ctx.writeAndFlush(ask, ctx.voidPromise());
        }
        ctx.read();
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Object msg, List<Object> out) {
        if (msg instanceof ResponseHead head) {
            out.add(encodeHead(ctx, head));
        } else if (msg instanceof ResponseChunk chunk) {
            encodeBody(ctx, chunk.content(), out);
        } else if (msg instanceof ResponseFile file) {
            if (bodyless || dropBody || file.count() == 0) {
                out.add(Unpooled.EMPTY_BUFFER);
            } else {
                file.retain();
                out.add(new AjpFileRegion(file, maxData));
            }
        } else if (msg instanceof LastResponseChunk) {
            flow.responseEnded();
            ByteBuf end = ctx.alloc().buffer(6);
            end.writeShort(AjpConstants.MAGIC_OUT).writeShort(2).writeByte(AjpConstants.END_RESPONSE)
                    .writeByte(closeAfter ? 0 : 1);
            out.add(end);
        } else {
            // AJP has no interim responses (the web server answers 100-continue) and no streams to abort.
            out.add(Unpooled.EMPTY_BUFFER);
        }
    }

    private ByteBuf encodeHead(ChannelHandlerContext ctx, ResponseHead head) {
        bodyless = head.bodyless();
        closeAfter = head.close();
        dropBody = false;
        ByteBuf buf = ctx.alloc().buffer(256);
        writeHead(buf, head.status(), head.reason(), head.headers(), contentLength(head));
        if (buf.readableBytes() <= packetSize) {
            return buf;
        }
        LOG.warning("ajp " + ctx.channel().remoteAddress() + ": response head of " + buf.readableBytes()
                + " bytes exceeds packet-size " + packetSize + "; answered 500 and closed instead");
        buf.clear();
        writeHead(buf, 500, StatusReasons.of(500), new Headers(), null);
        closeAfter = true;
        dropBody = true;
        return buf;
    }

    /** The Content-Length to add, as the HTTP listener would: known length, not already set, a body allowed. */
    private static String contentLength(ResponseHead head) {
        boolean allowed = (!head.bodyless() || head.request().isHead()) && head.status() != 204
                && head.status() != 304;
        if (head.contentLength() < 0 || !allowed || head.headers().get("Content-Length") != null) {
            return null;
        }
        return Long.toString(head.contentLength());
    }

    private static void writeHead(ByteBuf buf, int status, String reason, Headers headers, String contentLength) {
        buf.writeShort(AjpConstants.MAGIC_OUT).writeShort(0).writeByte(AjpConstants.SEND_HEADERS);
        buf.writeShort(status);
        writeString(buf, reason);
        int countAt = buf.writerIndex();
        buf.writeShort(0);
        int count = 0;
        for (int i = 0; i < headers.size(); i++) {
            String name = headers.name(i);
            if (!ResponseHeadWriter.isHopByHop(name)) {
                writeName(buf, name, name.toLowerCase(Locale.ROOT));
                writeString(buf, headers.value(i));
                count++;
            }
        }
        if (contentLength != null) {
            writeName(buf, "Content-Length", "content-length");
            writeString(buf, contentLength);
            count++;
        }
        buf.setShort(countAt, count);
        buf.setShort(2, buf.readableBytes() - AjpConstants.HEADER_SIZE);
    }

    private static void writeName(ByteBuf buf, String name, String lower) {
        String[] coded = AjpConstants.RESPONSE_HEADER_NAMES;
        for (int code = 1; code < coded.length; code++) {
            if (coded[code].equals(lower)) {
                buf.writeShort(AjpConstants.CODED_HEADER << 8 | code);
                return;
            }
        }
        writeString(buf, name);
    }

    /** An AJP string: length, the bytes (native string, so ISO-8859-1), NUL. */
    private static void writeString(ByteBuf buf, String s) {
        buf.writeShort(s.length());
        buf.writeCharSequence(s, StandardCharsets.ISO_8859_1);
        buf.writeByte(0);
    }

    /** SEND_BODY_CHUNK packets for {@code data}, split at the packet size; small pieces are copied whole. */
    private void encodeBody(ChannelHandlerContext ctx, ByteBuf data, List<Object> out) {
        if (bodyless || dropBody || !data.isReadable()) {
            out.add(Unpooled.EMPTY_BUFFER);
            return;
        }
        for (int at = data.readerIndex(), end = data.writerIndex(); at < end; ) {
            int n = Math.min(maxData, end - at);
            boolean copy = n < COPY_BELOW;
            ByteBuf frame = ctx.alloc().buffer(copy ? n + AjpConstants.SEND_BODY_OVERHEAD : 7);
            frame.writeShort(AjpConstants.MAGIC_OUT).writeShort(n + 4).writeByte(AjpConstants.SEND_BODY_CHUNK)
                    .writeShort(n);
            if (copy) {
                frame.writeBytes(data, at, n).writeByte(0);
                out.add(frame);
            } else {
                out.add(frame);
                out.add(data.retainedSlice(at, n));
                out.add(NUL.duplicate());
            }
            at += n;
        }
    }
}
