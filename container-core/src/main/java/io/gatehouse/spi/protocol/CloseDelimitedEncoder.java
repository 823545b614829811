package io.gatehouse.spi.protocol;

import io.gatehouse.app.Headers;
import io.gatehouse.spi.exchange.InterimResponse;
import io.gatehouse.spi.exchange.LastResponseChunk;
import io.gatehouse.spi.exchange.ResponseChunk;
import io.gatehouse.spi.exchange.ResponseFile;
import io.gatehouse.spi.exchange.ResponseHead;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;

/**
 * Writes a response whose body ends with the close of the connection, as uwsgi and SCGI answer a front server: a
 * head the subclass frames, then the body bytes as they are. A known length goes out as Content-Length, so the front
 * server can tell a complete body from a cut one. Body buffers and file regions pass through untouched (files as
 * zero-copy regions); HEAD, 204 and 304 responses lose whatever body the app wrote; interim responses are dropped,
 * since the front server answered {@code Expect} itself.
 */
public abstract class CloseDelimitedEncoder extends ChannelOutboundHandlerAdapter {
    private boolean bodyless;

    /** Writes the status (line or field) and the header fields the app gave, without the blank line. */
    protected abstract void writeHead(ByteBuf buf, ResponseHead head);

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ResponseHead head) {
            bodyless = head.bodyless();
            ctx.write(encodeHead(ctx, head), promise);
        } else if (msg instanceof ResponseChunk chunk) {
            if (bodyless || !chunk.content().isReadable()) {
                chunk.release();
                ctx.write(Unpooled.EMPTY_BUFFER, promise);
            } else {
                ctx.write(chunk.content(), promise);
            }
        } else if (msg instanceof ResponseFile file) {
            if (bodyless || file.count() == 0) {
                file.release();
                ctx.write(Unpooled.EMPTY_BUFFER, promise);
            } else {
                ctx.write(file, promise);
            }
        } else if (msg instanceof LastResponseChunk) {
            // the end of the body is the close of the connection, which the exchange handler makes
            ctx.write(Unpooled.EMPTY_BUFFER, promise);
        } else if (msg instanceof InterimResponse) {
            ReferenceCountUtil.release(msg);
            promise.trySuccess();
        } else {
            ctx.write(msg, promise);
        }
    }

    private ByteBuf encodeHead(ChannelHandlerContext ctx, ResponseHead head) {
        Headers headers = head.headers();
        ByteBuf buf = ctx.alloc().buffer(256);
        writeHead(buf, head);
        int status = head.status();
        if (head.contentLength() >= 0 && status >= 200 && status != 204 && status != 304
                && headers.get("Content-Length") == null) {
            ResponseHeadWriter.field(buf, "Content-Length", Long.toString(head.contentLength()));
        }
        buf.writeShort(0x0d0a);
        return buf;
    }
}
