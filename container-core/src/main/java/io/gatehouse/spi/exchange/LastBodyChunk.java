package io.gatehouse.spi.exchange;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** The final piece of a request body (possibly empty): after it, the request has no more bytes. */
public final class LastBodyChunk extends BodyChunk {
    /** The empty end of stream 0, shareable because it holds no buffer to release. */
    public static final LastBodyChunk EMPTY = new LastBodyChunk(Unpooled.EMPTY_BUFFER, 0);

    /** The last chunk of stream {@code streamId}. */
    public LastBodyChunk(ByteBuf content, int streamId) {
        super(content, streamId);
    }

    /** An empty end of the given stream. */
    public static LastBodyChunk empty(int streamId) {
        return streamId == 0 ? EMPTY : new LastBodyChunk(Unpooled.EMPTY_BUFFER, streamId);
    }

    @Override
    public boolean isLast() {
        return true;
    }

    @Override
    public LastBodyChunk replace(ByteBuf content) {
        return new LastBodyChunk(content, streamId());
    }
}
