package io.gatehouse.protocol.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty's leak detector (PARANOID in tests) reports a buffer that was never released.
 * Netty logs leaks through java.util.logging here; this listens to that logger, and after the class forces
 * collections and fresh allocations, which is when the detector reports what the collector found.
 */
final class LeakWatch implements BeforeAllCallback, AfterAllCallback {
    private static final Logger DETECTOR = Logger.getLogger("io.netty.util.ResourceLeakDetector");
    private final List<String> leaks = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                leaks.add(String.valueOf(record.getMessage()));
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @Override
    public void beforeAll(ExtensionContext context) {
        DETECTOR.addHandler(handler);
    }

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        try {
            for (int round = 0; round < 5 && leaks.isEmpty(); round++) {
                System.gc();
                Thread.sleep(20);
                for (int i = 0; i < 100; i++) {
                    ByteBuf a = PooledByteBufAllocator.DEFAULT.buffer(16);
                    ByteBuf b = UnpooledByteBufAllocator.DEFAULT.heapBuffer(16);
                    a.release();
                    b.release();
                }
            }
            assertEquals(List.of(), leaks, "leaked buffers");
        } finally {
            DETECTOR.removeHandler(handler);
        }
    }
}
