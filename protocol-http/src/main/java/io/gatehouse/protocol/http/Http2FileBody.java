package io.gatehouse.protocol.http;

import io.gatehouse.spi.exchange.ResponseFile;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.EOFException;
import java.io.IOException;

/**
 * A file body on an HTTP/2 stream, read in DATA-sized pieces only while the stream's window lets them go out, so a
 * file of any size passes through a bounded amount of memory. (A zero-copy region cannot be framed.)
 */
final class Http2FileBody {
    static final int PIECE = 16 * 1024;

    private final ResponseFile file;
    private final long end;
    private long position;

    /** Takes ownership of {@code file}: it is released (and the file closed) by {@link #close}. */
    Http2FileBody(ResponseFile file) {
        this.file = file;
        this.position = file.position();
        this.end = position + file.count();
    }

    boolean done() {
        return position >= end;
    }

    /** The next piece; the caller owns it. */
    ByteBuf next(ByteBufAllocator alloc) throws IOException {
        int n = (int) Math.min(PIECE, end - position);
        ByteBuf piece = alloc.buffer(n);
        try {
            for (int read = 0; read < n; ) {
                int got = piece.writeBytes(file.file(), position + read, n - read);
                if (got < 0) {
                    throw new EOFException("file ended " + (end - position - read) + " bytes short of its region");
                }
                read += got;
            }
            position += n;
            return piece;
        } catch (IOException | RuntimeException e) {
            piece.release();
            throw e;
        }
    }

    void close() {
        file.release();
    }
}
