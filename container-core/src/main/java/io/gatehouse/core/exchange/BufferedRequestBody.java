package io.gatehouse.core.exchange;

import io.gatehouse.spi.exchange.BodyChunk;
import io.gatehouse.spi.exchange.RequestBody;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * The listener's request body: chunks queue here until the worker reads them. Above the high-water mark the
 * listener stops reading from the socket (backpressure), and resumes once the reader drained below the low mark.
 */
final class BufferedRequestBody implements RequestBody {

    /** Pauses and resumes reading from the connection; implemented by the listener's exchange handler. */
    interface FlowControl {
        void pause();

        void resume();

        /** The reader took {@code bytes} (a protocol with flow control per stream lets the client send more). */
        default void consumed(int bytes) {
        }
    }

    private final ArrayDeque<ByteBuf> chunks = new ArrayDeque<>(4);
    private final FlowControl flow;
    private final long contentLength;
    private final int highWater;
    private final int lowWater;
    private long buffered;
    private long received;
    private boolean ended;
    private boolean endDelivered;
    private boolean discarding;
    private boolean paused;
    private IOException failure;
    private Receiver waiting;

    BufferedRequestBody(FlowControl flow, long contentLength, int highWater) {
        this.flow = flow;
        this.contentLength = contentLength;
        this.highWater = highWater;
        this.lowWater = highWater / 4;
        this.ended = contentLength == 0;
    }

    @Override
    public long contentLength() {
        return contentLength;
    }

    @Override
    public synchronized long received() {
        return received;
    }

    @Override
    public synchronized boolean finished() {
        return endDelivered || (ended && chunks.isEmpty() && discarding);
    }

    @Override
    public synchronized boolean complete() {
        return ended;
    }

    /** True while chunks are buffered that the app has not read. */
    synchronized boolean holdsUnread() {
        return !chunks.isEmpty();
    }

    @Override
    public void read(Receiver receiver) {
        ByteBuf data;
        boolean last;
        IOException error;
        synchronized (this) {
            if (waiting != null) {
                throw new IllegalStateException("a read is already pending");
            }
            error = failure;
            if (error == null && chunks.isEmpty() && !ended) {
                waiting = receiver;
                return;
            }
            data = error == null ? poll() : null;
            last = ended && chunks.isEmpty();
            endDelivered |= last;
        }
        if (error != null) {
            receiver.onError(error);
        } else {
            receiver.onData(data, last);
        }
    }

    @Override
    public ByteBuf take(long timeoutNanos) throws IOException {
        long deadline = System.nanoTime() + timeoutNanos;
        synchronized (this) {
            while (chunks.isEmpty() && !ended && failure == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IOException("no request body data within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while reading the request body");
                }
            }
            if (failure != null) {
                throw failure;
            }
            if (chunks.isEmpty()) {
                endDelivered = true;
                return null;
            }
            ByteBuf data = poll();
            endDelivered = ended && chunks.isEmpty();
            return data;
        }
    }

    @Override
    public void discard() {
        synchronized (this) {
            discarding = true;
            releaseAll();
        }
        resumeIfPaused();
    }

    /** Producer side: a chunk from the decoder. Takes ownership of its buffer. */
    void offer(BodyChunk chunk) {
        ByteBuf data = chunk.content();
        boolean last = chunk.isLast();
        Receiver receiver;
        synchronized (this) {
            received += data.readableBytes();
            if (discarding || failure != null) {
                ended |= last;
                data.release();
                return;
            }
            ended |= last;
            receiver = waiting;
            if (receiver != null && chunks.isEmpty()) {
                waiting = null;
                endDelivered |= last;
                if (data.isReadable()) {
                    flow.consumed(data.readableBytes());
                }
            } else {
                receiver = null;
                if (data.isReadable()) {
                    chunks.add(data);
                    buffered += data.readableBytes();
                } else {
                    data.release();
                }
                if (buffered > highWater && !paused) {
                    paused = true;
                    flow.pause();
                }
                notifyAll();
            }
        }
        if (receiver != null) {
            receiver.onData(data, last);
        }
    }

    /** Producer side: the body cannot complete; pending and future reads fail with {@code cause}. */
    void fail(IOException cause) {
        Receiver receiver;
        synchronized (this) {
            if (failure != null || endDelivered) {
                return;
            }
            failure = cause;
            releaseAll();
            receiver = waiting;
            waiting = null;
            notifyAll();
        }
        if (receiver != null) {
            receiver.onError(cause);
        }
    }

    private ByteBuf poll() {
        ByteBuf data = chunks.poll();
        if (data == null) {
            return Unpooled.EMPTY_BUFFER;
        }
        buffered -= data.readableBytes();
        flow.consumed(data.readableBytes());
        if (paused && buffered <= lowWater) {
            paused = false;
            flow.resume();
        }
        return data;
    }

    private void releaseAll() {
        ByteBuf b;
        while ((b = chunks.poll()) != null) {
            b.release();
        }
        buffered = 0;
    }

    private void resumeIfPaused() {
        boolean resume;
        synchronized (this) {
            resume = paused;
            paused = false;
        }
        if (resume) {
            flow.resume();
        }
    }
}
