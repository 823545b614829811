package io.gatehouse.protocol.uwsgi;

import io.gatehouse.app.EnvironKeys;
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

/**
 * Writes a uwsgi response, which is a raw HTTP/1.x response: status line, header fields, blank line, then the body
 * bytes as they are, ended by the close of the connection (uwsgi has no keep-alive). A known length goes out as
 * Content-Length, so nginx can tell a complete body from a cut one. Body buffers and file regions pass through
 * untouched (files as zero-copy regions); HEAD, 204 and 304 responses lose whatever body the app wrote.
 */
final class UwsgiEncoder extends ChannelOutboundHandlerAdapter {
    private static final String HTTP_1_0 = "HTTP/1.0";
    private static final String HTTP_1_1 = "HTTP/1.1";

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
            // uwsgi carries no interim responses; the front server answered Expect itself
            ReferenceCountUtil.release(msg);
            promise.trySuccess();
        } else {
            ctx.write(msg, promise);
        }
    }

    private static ByteBuf encodeHead(ChannelHandlerContext ctx, ResponseHead head) {
        // the version is only a marker to the front server; echo HTTP/1.0 to a 1.0 request, else say 1.1
        String version = HTTP_1_0.equals(head.request().environ().get(EnvironKeys.SERVER_PROTOCOL)) ? HTTP_1_0
                : HTTP_1_1;
        Headers headers = head.headers();
        ByteBuf buf = ctx.alloc().buffer(256);
        ResponseHeadWriter.statusLine(buf, version, head);
        ResponseHeadWriter.fields(buf, headers, ResponseHeadWriter.HOP_BY_HOP);
        int status = head.status();
        if (head.contentLength() >= 0 && status >= 200 && status != 204 && status != 304
                && headers.get("Content-Length") == null) {
            ResponseHeadWriter.field(buf, "Content-Length", Long.toString(head.contentLength()));
        }
        buf.writeShort(0x0d0a);
        return buf;
    }
}
