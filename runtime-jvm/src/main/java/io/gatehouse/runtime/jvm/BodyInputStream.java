package io.gatehouse.runtime.jvm;

import io.gatehouse.spi.exchange.RequestBody;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;

/** The request body as a blocking stream over the chunks the listener delivers. */
final class BodyInputStream extends InputStream {
    /** How long a read waits for the client's next bytes before failing (nginx's client_body_timeout default). */
    static final long READ_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final RequestBody body;
    private ByteBuf current;
    private boolean ended;

    BodyInputStream(RequestBody body) {
        this.body = body;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, current.readableBytes());
        current.readBytes(b, off, n);
        return n;
    }

    @Override
    public int available() {
        return current == null ? 0 : current.readableBytes();
    }

    @Override
    public void close() {
        if (current != null) {
            current.release();
            current = null;
        }
    }

    private boolean fill() throws IOException {
        while (current == null || !current.isReadable()) {
            if (ended) {
                return false;
            }
            if (current != null) {
                current.release();
                current = null;
            }
            ByteBuf next = body.take(READ_TIMEOUT_NANOS);
            if (next == null) {
                ended = true;
                return false;
            }
            current = next;
        }
        return true;
    }
}
