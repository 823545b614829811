package io.gatehouse.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.buffer.UnpooledHeapByteBuf;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The one leak check of the tests. As a JUnit extension ({@code @ExtendWith(LeakCheck.class)}) it fails a test
 * class when Netty's leak detector (PARANOID in the build) reports a buffer that was never released; and its
 * {@link Buffers} allocator tells at once, without waiting for the garbage collector, whether every buffer a
 * channel allocated and every buffer a test fed it has been released.
 */
public final class LeakCheck implements BeforeAllCallback, AfterAllCallback {
    private LogCapture detector;

    /** Listens to the detector, which logs leaks through java.util.logging here. */
    @Override
    public void beforeAll(ExtensionContext context) {
        detector = LogCapture.named("io.netty.util.ResourceLeakDetector");
    }

    /** Forces collections and fresh allocations, which is when the detector reports what the collector found. */
    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        try {
            for (int round = 0; round < 5 && detector.warnings().isEmpty(); round++) {
                System.gc();
                Thread.sleep(20);
                for (int i = 0; i < 100; i++) {
                    ByteBuf a = PooledByteBufAllocator.DEFAULT.buffer(16);
                    ByteBuf b = UnpooledByteBufAllocator.DEFAULT.heapBuffer(16);
                    a.release();
                    b.release();
                }
            }
            assertEquals(List.of(), detector.warnings(), "leaked buffers");
        } finally {
            detector.close();
        }
    }

    /** An allocator that remembers every buffer it gave out and every buffer a test fed the channel. */
    public static final class Buffers extends AbstractByteBufAllocator {
        private final List<ByteBuf> given = new ArrayList<>();
        private final List<ByteBuf> fed = new ArrayList<>();
        /** Those of both not yet seen released, so that {@link #heldBytes} after every read costs no more than they. */
        private final Set<ByteBuf> unreleased = Collections.newSetFromMap(new IdentityHashMap<>());

        /** An allocator of unpooled heap buffers. */
        public Buffers() {
            super(false);
        }

        @Override
        protected synchronized ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
            ByteBuf buf = new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity);
            given.add(buf);
            unreleased.add(buf);
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

        /** Remembers {@code input}, about to be fed to the channel, which must release it. */
        public synchronized ByteBuf fed(ByteBuf input) {
            fed.add(input);
            unreleased.add(input);
            return input;
        }

        /**
         * The unread bytes of every buffer fed or given out that is still referenced: once a test has released what
         * the channel passed on, what the channel's handlers hold (a decoder's cumulation, its own buffers).
         */
        public synchronized long heldBytes() {
            unreleased.removeIf(b -> b.refCnt() == 0);
            return unreleased.stream().mapToLong(ByteBuf::readableBytes).sum();
        }

        /** Fails if any buffer fed or given out is still referenced. */
        public synchronized void assertAllReleased() {
            for (ByteBuf input : fed) {
                assertEquals(0, input.refCnt(), "an input buffer was not released");
            }
            long live = given.stream().filter(b -> b.refCnt() > 0).count();
            assertEquals(0, live, "buffers still referenced, of " + given.size() + " allocated");
        }
    }
}
