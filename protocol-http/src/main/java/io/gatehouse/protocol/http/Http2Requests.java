package io.gatehouse.protocol.http;

import io.gatehouse.spi.exchange.BodyChunk;
import io.gatehouse.spi.exchange.LastBodyChunk;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;

/**
 * HTTP/2 frames as the core's messages: a request's HEADERS become its {@code EnvironHead} (trailers are dropped, as
 * over HTTP/1.1), DATA become body chunks of the stream. No body byte counts as consumed here (only padding): the
 * client gets its window back as the app reads ({@code BodyConsumed}), so a stream holds at most its window. A body
 * that passes max-body-size is refused with 413 (if the app has not answered) and the stream reset.
 */
final class Http2Requests extends Http2FrameAdapter {
    private final Http2Handler handler;
    private final Http1Options options;
    private final HttpTlsEnviron tls;
    private Http2HeadBuilder heads;

    Http2Requests(Http2Handler handler, Http1Options options, HttpTlsEnviron tls) {
        this.handler = handler;
        this.options = options;
        this.tls = tls;
    }

    @Override
    public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding,
            boolean endOfStream) {
        Http2StreamState state = handler.state(streamId);
        if (state == null || state.aborted) {
            return;
        }
        if (state.headSeen) {
            if (endOfStream) {
                ctx.fireChannelRead(LastBodyChunk.empty(streamId)); // trailers: checked by Netty, then dropped
            }
            return;
        }
        state.headSeen = true;
        if (heads == null) {
            heads = new Http2HeadBuilder(options, new Http1Connection(ctx.channel().remoteAddress(),
                    ctx.channel().localAddress(), tls));
        }
        ctx.fireChannelRead(heads.build(streamId, headers, endOfStream));
    }

    @Override
    public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int streamDependency,
            short weight, boolean exclusive, int padding, boolean endOfStream) {
        onHeadersRead(ctx, streamId, headers, padding, endOfStream);
    }

    @Override
    public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream) {
        Http2StreamState state = handler.state(streamId);
        int n = data.readableBytes();
        if (state == null || state.aborted) {
            return n + padding; // nobody will read it: the window goes back at once
        }
        state.bodyBytes += n;
        long max = options.maxBodySize().bytes();
        if (max > 0 && state.bodyBytes > max) {
            handler.warn("413 Content Too Large: request body of stream " + streamId + " exceeds max-body-size "
                    + max);
            handler.refuse(streamId, state, 413, "413 Content Too Large");
            handler.abort(streamId, state);
            return n + padding;
        }
        ctx.fireChannelRead(endOfStream ? new LastBodyChunk(data.retain(), streamId)
                : new BodyChunk(data.retain(), streamId));
        return padding;
    }
}
