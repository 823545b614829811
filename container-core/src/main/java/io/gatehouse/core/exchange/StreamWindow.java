package io.gatehouse.core.exchange;

import io.gatehouse.spi.exchange.BodyConsumed;
import io.netty.channel.ChannelHandlerContext;

/**
 * The request body flow of one stream of a connection whose codec controls each stream's window (HTTP/2): the
 * connection is never paused for one stream; instead every byte the app takes is reported down the pipeline
 * ({@link BodyConsumed}), and only then may the client send more, so a stream buffers at most its window.
 */
final class StreamWindow implements BufferedRequestBody.FlowControl {
    private final ChannelHandlerContext ctx;
    private final int streamId;

    StreamWindow(ChannelHandlerContext ctx, int streamId) {
        this.ctx = ctx;
        this.streamId = streamId;
    }

    @Override
    public void pause() {
        // the stream's window bounds what it buffers: pausing the connection would stall every other stream
    }

    @Override
    public void resume() {
    }

    @Override
    public void consumed(int bytes) {
        BodyConsumed consumed = new BodyConsumed(streamId, bytes);
        if (ctx.executor().inEventLoop()) {
            ctx.writeAndFlush(consumed, ctx.voidPromise());
        } else {
            ctx.executor().execute(() -> ctx.writeAndFlush(consumed, ctx.voidPromise()));
        }
    }
}
