package io.gatehouse.runtime.jvm;

import io.gatehouse.spi.exchange.EnvironHead;
import io.gatehouse.spi.exchange.Response;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;

/**
 * The response body as a blocking stream: bytes collect in a pooled buffer and go out when it fills, on flush, or
 * at the end. A writer blocks while the client's socket is backed up, so a slow client costs memory of one buffer.
 */
final class BodyOutputStream extends OutputStream {
    static final int BUFFER_SIZE = 32 * 1024;
    static final int INITIAL_SIZE = 256;
    /** How long a writer waits for a slow client to take bytes before the response is given up. */
    static final long WRITE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final JvmResponder responder;
    private final Response response;
    private ByteBuf buffer;

    BodyOutputStream(JvmResponder responder, Response response) {
        this.responder = responder;
        this.response = response;
    }

    @Override
    public void write(int b) throws IOException {
        buffer().writeByte(b);
        if (buffer.maxWritableBytes() == 0) {
            flushBuffered(false, true);
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            ByteBuf buf = buffer();
            int n = Math.min(len, buf.maxWritableBytes());
            buf.writeBytes(b, off, n);
            off += n;
            len -= n;
            if (buf.maxWritableBytes() == 0) {
                flushBuffered(false, true);
            }
        }
    }

    @Override
    public void flush() throws IOException {
        flushBuffered(false, true);
    }

    /** Sends what is buffered; at the end ({@code last}) a never-flushed body gives the Content-Length. */
    void flushBuffered(boolean last) throws IOException {
        flushBuffered(last, !last);
    }

    private void flushBuffered(boolean last, boolean flush) throws IOException {
        int size = buffer == null ? 0 : buffer.readableBytes();
        responder.commit(last && !response.committed() ? size : EnvironHead.UNKNOWN_LENGTH);
        if (size == 0) {
            if (flush) {
                response.flush();
            }
            return;
        }
        ByteBuf out = buffer;
        buffer = null;
        if (!response.chunk(out, flush)) {
            throw new IOException("the response is already finished");
        }
        awaitWritable();
    }

    void discard() {
        if (buffer != null) {
            buffer.release();
            buffer = null;
        }
    }

    private ByteBuf buffer() {
        if (buffer == null) {
            // starts small and grows to BUFFER_SIZE: most responses are small, and a 32 KiB pooled buffer per
            // response was a measurable share of a hello-world request's cost
            buffer = ByteBufAllocator.DEFAULT.buffer(INITIAL_SIZE, BUFFER_SIZE);
        }
        return buffer;
    }

    private void awaitWritable() throws IOException {
        if (response.onLoop()) {
            return; // a non-blocking app on the I/O thread: waiting there would stop the very thread that drains it
        }
        try {
            if (!response.writable() && !response.awaitWritable(WRITE_TIMEOUT_NANOS)) {
                throw new IOException(response.done() ? "the client went away"
                        : "the client took no data for " + TimeUnit.NANOSECONDS.toSeconds(WRITE_TIMEOUT_NANOS) + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the client");
        }
    }
}
