package io.gatehouse.runtime.python;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/** One frame of the worker protocol as decoded from a worker connection: its type and its payload. */
final class WsgiFrame extends DefaultByteBufHolder {
    private final int type;

    WsgiFrame(int type, ByteBuf payload) {
        super(payload);
        this.type = type;
    }

    /** The frame type, one of the {@link WsgiFrames} constants. */
    int type() {
        return type;
    }

    @Override
    public String toString() {
        return "WsgiFrame(" + WsgiFrames.name(type) + ", " + content().readableBytes() + " bytes)";
    }
}
