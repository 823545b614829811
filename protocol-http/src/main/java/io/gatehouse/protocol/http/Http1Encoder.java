package io.gatehouse.protocol.http;

import io.gatehouse.app.EnvironKeys;
import io.gatehouse.app.Headers;
import io.gatehouse.core.exchange.InterimResponse;
import io.gatehouse.core.exchange.LastResponseChunk;
import io.gatehouse.core.exchange.ResponseAbort;
import io.gatehouse.core.exchange.ResponseChunk;
import io.gatehouse.core.exchange.ResponseFile;
import io.gatehouse.core.exchange.ResponseHead;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;

/**
 * Encodes responses as HTTP/1.1 (RFC 9112 6): the status line and fields in one buffer, then the body with its
 * length (known length), chunked (unknown length, HTTP/1.1 client) or delimited by closing the connection
 * (unknown length, HTTP/1.0 client). Files pass through as zero-copy regions. HEAD, 1xx, 204 and 304 responses
 * get no body whatever the app wrote. The body is held to the length the head announced: excess bytes are
 * dropped and a short body closes the connection, so a wrong app cannot desynchronise a kept-alive connection.
 * One per connection: it remembers the framing of the response in progress.
 */
final class Http1Encoder extends ChannelOutboundHandlerAdapter {
    private static final ByteBuf CRLF = Unpooled.unreleasableBuffer(
            Unpooled.directBuffer(2).writeBytes(Http1Constants.CRLF)).asReadOnly();
    private static final ByteBuf LAST_CHUNK = Unpooled.unreleasableBuffer(
            Unpooled.directBuffer(5).writeBytes(Http1Constants.LAST_CHUNK)).asReadOnly();
    private static final ByteBuf CONTINUE = Unpooled.unreleasableBuffer(
            Unpooled.directBuffer(25).writeBytes(Http1Constants.CONTINUE)).asReadOnly();

    /** How the body of the response in progress is delimited; NONE also drops body bytes (HEAD, 204, 304). */
    private enum Framing { NONE, LENGTH, CHUNKED, CLOSE }

    private Framing framing = Framing.NONE;
    private long remaining;
    private boolean closeAfter;

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ResponseHead head) {
            writeHead(ctx, head, promise);
        } else if (msg instanceof ResponseChunk chunk) {
            ByteBuf data = chunk.content();
            writeBody(ctx, data, data.readableBytes(), promise);
        } else if (msg instanceof ResponseFile file) {
            writeBody(ctx, file, file.count(), promise);
        } else if (msg instanceof LastResponseChunk) {
            writeEnd(ctx, promise);
        } else if (msg instanceof InterimResponse interim) {
            ctx.write(interim.status() == 100 ? CONTINUE.duplicate()
                    : Http1HeadWriter.interim(ctx.alloc(), interim.status()), promise);
        } else if (msg instanceof ResponseAbort) {
            ctx.close(promise);
        } else {
            ctx.write(msg, promise);
        }
    }

    /**
     * Chooses the framing (RFC 9112 6.3) and writes the head. The length is the one the core computed, else the
     * app's valid Content-Length; the app's own framing fields are replaced by ours so they always agree.
     */
    private void writeHead(ChannelHandlerContext ctx, ResponseHead head, ChannelPromise promise) {
        Headers headers = head.headers();
        int status = head.status();
        long declared = declaredLength(headers);
        long length = head.contentLength() >= 0 ? head.contentLength() : declared;
        boolean http10 = Http1Constants.HTTP_1_0.equals(head.request().environ().get(EnvironKeys.SERVER_PROTOCOL));
        closeAfter = head.close() || asksClose(headers);
        long lengthField = -1;
        if (head.bodyless()) {
            framing = Framing.NONE;
            if (status == 304) {
                lengthField = declared;
            } else if (status >= 200 && status != 204 && (declared >= 0 || length > 0)) {
                lengthField = length;
            }
        } else if (length >= 0) {
            framing = Framing.LENGTH;
            remaining = length;
            lengthField = length;
        } else if (http10) {
            framing = Framing.CLOSE;
            closeAfter = true;
        } else {
            framing = Framing.CHUNKED;
        }
        String connection = closeAfter ? "close" : http10 ? "keep-alive" : null;
        ctx.write(Http1HeadWriter.encode(ctx.alloc(), head, lengthField, framing == Framing.CHUNKED, connection),
                promise);
    }

    /** The app's Content-Length if it is one valid number, else -1. */
    private static long declaredLength(Headers headers) {
        String value = null;
        for (int i = 0; i < headers.size(); i++) {
            if (Http1HeadWriter.owned(headers.name(i)) == Http1HeadWriter.Owned.CONTENT_LENGTH) {
                if (value != null) {
                    return -1;
                }
                value = headers.value(i).trim();
            }
        }
        if (value == null || value.isEmpty() || value.length() > 18) {
            return -1;
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return -1;
            }
        }
        return Long.parseLong(value);
    }

    /** True when the app's own Connection field asks to close (honoured, though the field itself is ours). */
    private static boolean asksClose(Headers headers) {
        for (int i = 0; i < headers.size(); i++) {
            if (Http1HeadWriter.owned(headers.name(i)) == Http1HeadWriter.Owned.CONNECTION
                    && Http1Framing.hasToken(headers.value(i), "close")) {
                return true;
            }
        }
        return false;
    }

    private void writeBody(ChannelHandlerContext ctx, Object data, long size, ChannelPromise promise) {
        if (size == 0 || framing == Framing.NONE) {
            ReferenceCountUtil.release(data);
            ctx.write(Unpooled.EMPTY_BUFFER, promise);
            return;
        }
        switch (framing) {
            case CHUNKED -> {
                ByteBuf line = ctx.alloc().buffer(18);
                ByteBufUtil.writeAscii(line, Long.toHexString(size));
                line.writeShort(0x0d0a);
                ctx.write(line, ctx.voidPromise());
                ctx.write(data, ctx.voidPromise());
                ctx.write(CRLF.duplicate(), promise);
            }
            case LENGTH -> writeCounted(ctx, data, size, promise);
            default -> ctx.write(data, promise);
        }
    }

    /** A body of announced length: bytes beyond it are dropped and the connection closes after the response. */
    private void writeCounted(ChannelHandlerContext ctx, Object data, long size, ChannelPromise promise) {
        if (size <= remaining) {
            remaining -= size;
            ctx.write(data, promise);
            return;
        }
        closeAfter = true;
        if (data instanceof ByteBuf buf && remaining > 0) {
            ByteBuf head = buf.retainedSlice(buf.readerIndex(), (int) remaining);
            buf.release();
            remaining = 0;
            ctx.write(head, promise);
            return;
        }
        // a file region is not cut: what fits was announced, so the client sees a short body and the close
        ReferenceCountUtil.release(data);
        ctx.write(Unpooled.EMPTY_BUFFER, promise);
    }

    private void writeEnd(ChannelHandlerContext ctx, ChannelPromise promise) {
        ByteBuf end = framing == Framing.CHUNKED ? LAST_CHUNK.duplicate() : Unpooled.EMPTY_BUFFER;
        if (framing == Framing.LENGTH && remaining > 0) {
            // shorter than announced: the client must not wait for the rest or take the next response for it
            closeAfter = true;
        }
        boolean close = closeAfter;
        framing = Framing.NONE;
        closeAfter = false;
        if (close) {
            ChannelPromise p = promise.unvoid();
            ctx.write(end, p);
            p.addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.write(end, promise);
        }
    }
}
