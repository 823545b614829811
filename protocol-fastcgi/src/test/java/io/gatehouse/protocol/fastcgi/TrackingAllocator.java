package io.gatehouse.protocol.fastcgi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * An allocator that remembers every buffer it gave out, so a test can assert that the codec released all of them
 * (a leak check that does not wait for the garbage collector, unlike Netty's leak detector).
 */
final class TrackingAllocator extends AbstractByteBufAllocator {
    private final List<ByteBuf> given = new ArrayList<>();

    TrackingAllocator() {
        super(false);
    }

    @Override
    protected synchronized ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        ByteBuf buf = new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity);
        given.add(buf);
        return buf;
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        return newHeapBuffer(initialCapacity, maxCapacity);
    }

    @Override
    public boolean isDirectBufferPooled() {
        return false;
    }

    /** Fails if any buffer given out is still referenced. */
    synchronized void assertAllReleased() {
        long live = given.stream().filter(b -> b.refCnt() > 0).count();
        assertEquals(0, live, "buffers still referenced, of " + given.size() + " allocated");
    }
}
