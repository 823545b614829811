package io.gatehouse.runtime.python;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/** One frame of the worker protocol as decoded from a worker connection: its type and its payload. */
final class WsgiFrame extends DefaultByteBufHolder {
    private final WsgiFrameType type;

    WsgiFrame(WsgiFrameType type, ByteBuf payload) {
        super(payload);
        this.type = type;
    }

    WsgiFrameType type() {
        return type;
    }

    @Override
    public String toString() {
        return "WsgiFrame(" + type + ", " + content().readableBytes() + " bytes)";
    }
}
