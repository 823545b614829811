package io.gatehouse.protocol.scgi;

import io.gatehouse.app.Headers;
import io.gatehouse.core.exchange.InterimResponse;
import io.gatehouse.core.exchange.LastResponseChunk;
import io.gatehouse.core.exchange.ResponseChunk;
import io.gatehouse.core.exchange.ResponseFile;
import io.gatehouse.core.exchange.ResponseHead;
import io.gatehouse.core.protocol.ResponseHeadWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;
import java.util.HashSet;
import java.util.Set;

/**
 * Writes an SCGI response, which is a CGI response (RFC 3875 6): a {@code Status:} field, the header fields, a
 * blank line, then the body bytes as they are, ended by the close of the connection. A known length goes out as
 * Content-Length, so the front server can tell a complete body from a cut one. Body buffers and file regions
 * pass through untouched (files as zero-copy regions); HEAD, 204 and 304 responses lose whatever body the app
 * wrote.
 */
final class ScgiEncoder extends ChannelOutboundHandlerAdapter {
    /** Hop-by-hop fields, and a Status field of the app's own, which would contradict the real one. */
    private static final Set<String> SKIP = skipped();

    private boolean bodyless;

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
            // CGI has no interim responses; the front server answered Expect itself
            ReferenceCountUtil.release(msg);
            promise.trySuccess();
        } else {
            ctx.write(msg, promise);
        }
    }

    private static ByteBuf encodeHead(ChannelHandlerContext ctx, ResponseHead head) {
        Headers headers = head.headers();
        ByteBuf buf = ctx.alloc().buffer(256);
        ResponseHeadWriter.cgiStatus(buf, head);
        ResponseHeadWriter.fields(buf, headers, SKIP);
        int status = head.status();
        if (head.contentLength() >= 0 && status >= 200 && status != 204 && status != 304
                && headers.get("Content-Length") == null) {
            ResponseHeadWriter.field(buf, "Content-Length", Long.toString(head.contentLength()));
        }
        buf.writeShort(0x0d0a);
        return buf;
    }

    private static Set<String> skipped() {
        Set<String> skip = new HashSet<>(ResponseHeadWriter.HOP_BY_HOP);
        skip.add("status");
        return Set.copyOf(skip);
    }
}
