package io.gatehouse.protocol.http;

import io.gatehouse.app.EnvironKeys;
import io.gatehouse.app.Headers;
import io.gatehouse.spi.exchange.InterimResponse;
import io.gatehouse.spi.exchange.LastResponseChunk;
import io.gatehouse.spi.exchange.ResponseAbort;
import io.gatehouse.spi.exchange.ResponseChunk;
import io.gatehouse.spi.exchange.ResponseFile;
import io.gatehouse.spi.exchange.ResponseHead;
import io.gatehouse.spi.protocol.CodecEvent;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;

/**
 * Encodes responses as HTTP/1.1 (RFC 9112 6): the status line and fields in one buffer, then the body with its
 * length (known length), chunked (unknown length, HTTP/1.1 client) or delimited by closing the connection
 * (unknown length, HTTP/1.0 client; the core closes it, told by {@link CodecEvent#CLOSE_AFTER_RESPONSE}). Files pass through as zero-copy regions. HEAD, 1xx, 204 and 304 responses
 * get no body whatever the app wrote. The body is held to the length the head announced: excess bytes are
 * dropped and a short body closes the connection, so a wrong app cannot desynchronise a kept-alive connection.
 *
 * <p>A head is held back until the next message or flush, and small body pieces are copied in behind it, so a
 * small response leaves as one buffer in one write. One per connection: it remembers the response in progress.
 */
final class Http1Encoder extends ChannelOutboundHandlerAdapter {
    /** Body pieces up to this size join the held-back head rather than travelling as buffers of their own. */
    static final int MERGE_LIMIT = 8192;

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
    /** The head (and small body pieces) not yet passed on; only ever holds writes made with a void promise. */
    private ByteBuf held;
    /** What each of the current head's app fields is to the listener, classified once per response. */
    private Http1HeadWriter.Owned[] owned = new Http1HeadWriter.Owned[16];

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
            release(ctx);
            ctx.write(interim.status() == 100 ? CONTINUE.duplicate()
                    : Http1HeadWriter.interim(ctx.alloc(), interim.status()), promise);
        } else if (msg instanceof ResponseAbort) {
            discardHeld();
            ctx.close(promise);
        } else {
            release(ctx);
            ctx.write(msg, promise);
        }
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        release(ctx);
        ctx.flush();
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        discardHeld();
        ctx.close(promise);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        discardHeld();
    }

    /**
     * Chooses the framing (RFC 9112 6.3) and writes the head. The length is the one the core computed, else the
     * app's valid Content-Length; the app's own framing fields are replaced by ours so they always agree.
     */
    private void writeHead(ChannelHandlerContext ctx, ResponseHead head, ChannelPromise promise) {
        release(ctx);
        Headers headers = head.headers();
        int status = head.status();
        long declared = classifyFields(headers);
        long length = head.contentLength() >= 0 ? head.contentLength() : declared;
        boolean http10 = Http1Constants.HTTP_1_0.equals(head.request().environ().get(EnvironKeys.SERVER_PROTOCOL));
        closeAfter |= head.close();
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
        int room = framing == Framing.LENGTH && length <= MERGE_LIMIT ? (int) length : 0;
        ByteBuf buf = Http1HeadWriter.encode(ctx.alloc(), head, owned, lengthField, framing == Framing.CHUNKED,
                connection, room);
        if (promise.isVoid()) {
            held = buf;
        } else {
            ctx.write(buf, promise);
        }
    }

    private void writeBody(ChannelHandlerContext ctx, Object data, long size, ChannelPromise promise) {
        if (size == 0 || framing == Framing.NONE || (framing == Framing.LENGTH && remaining == 0)) {
            closeAfter |= framing == Framing.LENGTH && size > 0;
            ReferenceCountUtil.release(data);
            complete(ctx, promise);
            return;
        }
        if (framing == Framing.LENGTH && size > remaining) {
            // more than announced: what fits goes out, the rest is dropped, and the connection ends after
            closeAfter = true;
            if (!(data instanceof ByteBuf buf)) {
                ReferenceCountUtil.release(data);
                complete(ctx, promise);
                return;
            }
            ByteBuf fits = buf.retainedSlice(buf.readerIndex(), (int) remaining);
            buf.release();
            data = fits;
            size = remaining;
        }
        if (framing == Framing.LENGTH) {
            remaining -= size;
        }
        if (held != null && promise.isVoid() && size <= MERGE_LIMIT && data instanceof ByteBuf buf) {
            if (framing == Framing.CHUNKED) {
                writeChunkSize(held, size);
            }
            held.writeBytes(buf, buf.readerIndex(), buf.readableBytes());
            buf.release();
            if (framing == Framing.CHUNKED) {
                held.writeShort(0x0d0a);
            }
            return;
        }
        release(ctx);
        if (framing == Framing.CHUNKED) {
            ByteBuf line = ctx.alloc().buffer(18);
            writeChunkSize(line, size);
            ctx.write(line, ctx.voidPromise());
            ctx.write(data, ctx.voidPromise());
            ctx.write(CRLF.duplicate(), promise);
        } else {
            ctx.write(data, promise);
        }
    }

    private void writeEnd(ChannelHandlerContext ctx, ChannelPromise promise) {
        if (framing == Framing.LENGTH && remaining > 0) {
            // shorter than announced: the client must not wait for the rest or take the next response for it
            closeAfter = true;
        }
        ByteBuf end;
        if (held != null) {
            end = held;
            held = null;
            if (framing == Framing.CHUNKED) {
                end.writeBytes(Http1Constants.LAST_CHUNK);
            }
        } else {
            end = framing == Framing.CHUNKED ? LAST_CHUNK.duplicate() : Unpooled.EMPTY_BUFFER;
        }
        boolean close = closeAfter;
        framing = Framing.NONE;
        closeAfter = false;
        if (close) {
            // the core closes once this is written, lingering over a request body still arriving: closing here
            // would reset a client (or proxy) still sending one, and it could lose this very response
            ctx.pipeline().fireUserEventTriggered(CodecEvent.CLOSE_AFTER_RESPONSE);
        }
        ctx.write(end, promise);
    }

    /** Passes on what is held back, ahead of whatever comes next. */
    private void release(ChannelHandlerContext ctx) {
        if (held != null) {
            ByteBuf b = held;
            held = null;
            ctx.write(b, ctx.voidPromise());
        }
    }

    private void discardHeld() {
        if (held != null) {
            held.release();
            held = null;
        }
    }

    /** Completes the promise of a write that sent nothing, in order with the writes before it. */
    private void complete(ChannelHandlerContext ctx, ChannelPromise promise) {
        if (!promise.isVoid()) {
            release(ctx);
            ctx.write(Unpooled.EMPTY_BUFFER, promise);
        }
    }

    private static void writeChunkSize(ByteBuf out, long size) {
        ByteBufUtil.writeAscii(out, Long.toHexString(size));
        out.writeShort(0x0d0a);
    }

    /**
     * Fills {@link #owned} for the app's fields, sets {@link #closeAfter} if its Connection field says close (honoured,
     * though the field itself is ours), and returns its Content-Length if that is one valid number, else -1.
     */
    private long classifyFields(Headers headers) {
        int n = headers.size();
        if (owned.length < n) {
            owned = new Http1HeadWriter.Owned[Math.max(n, owned.length * 2)];
        }
        closeAfter = false;
        String length = null;
        boolean repeated = false;
        for (int i = 0; i < n; i++) {
            Http1HeadWriter.Owned o = Http1HeadWriter.owned(headers.name(i));
            owned[i] = o;
            if (o == Http1HeadWriter.Owned.CONTENT_LENGTH) {
                repeated = length != null;
                length = headers.value(i);
            } else if (o == Http1HeadWriter.Owned.CONNECTION && Http1Framing.hasToken(headers.value(i), "close")) {
                closeAfter = true;
            }
        }
        return repeated || length == null ? -1 : decimal(length.trim());
    }

    /** The value of a string of 1 to 18 decimal digits, else -1. */
    static long decimal(String value) {
        if (value.isEmpty() || value.length() > 18) {
            return -1;
        }
        long n = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }
}
