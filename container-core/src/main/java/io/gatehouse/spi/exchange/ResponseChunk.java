package io.gatehouse.spi.exchange;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/** A piece of a response body on its way to a listener's encoder. */
public final class ResponseChunk extends DefaultByteBufHolder {
    private final int streamId;

    /** A chunk of the response on stream {@code streamId}. */
    public ResponseChunk(ByteBuf content, int streamId) {
        super(content);
        this.streamId = streamId;
    }

    /** The stream this chunk belongs to. */
    public int streamId() {
        return streamId;
    }

    @Override
    public ResponseChunk replace(ByteBuf content) {
        return new ResponseChunk(content, streamId);
    }
}
