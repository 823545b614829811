package io.gatehouse.spi.exchange;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/** A piece of a request body, as decoded off the wire; the reader owns (and releases) its buffer. */
public class BodyChunk extends DefaultByteBufHolder {
    private final int streamId;

    /** A chunk of stream {@code streamId} (0 outside multiplexing protocols). */
    public BodyChunk(ByteBuf content, int streamId) {
        super(content);
        this.streamId = streamId;
    }

    /** The stream this chunk belongs to. */
    public int streamId() {
        return streamId;
    }

    /** True for the chunk that ends the body. */
    public boolean isLast() {
        return false;
    }

    @Override
    public BodyChunk replace(ByteBuf content) {
        return new BodyChunk(content, streamId);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(stream=" + streamId + ", " + content().readableBytes() + " bytes)";
    }
}
