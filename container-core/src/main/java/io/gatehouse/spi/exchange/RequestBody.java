package io.gatehouse.spi.exchange;

import io.netty.buffer.ByteBuf;
import java.io.IOException;

/**
 * A request body as it arrives. Readers either pull asynchronously ({@link #read}, for bridges that run on event
 * loops) or block ({@link #take}, for JVM app threads); a body of any size passes with bounded memory, as the
 * listener stops reading from the socket while the reader is behind.
 */
public interface RequestBody {

    /** Receives the next piece of body, or why there is none. Called once per {@link #read}. */
    interface Receiver {
        /** {@code data} (owned by the receiver, possibly empty) and whether it ends the body. */
        void onData(ByteBuf data, boolean last);

        /** The body cannot complete (client gone, read timeout). */
        void onError(IOException cause);
    }

    /** Declared length, 0 for none, or {@link EnvironHead#UNKNOWN_LENGTH}. */
    long contentLength();

    /** Bytes received from the client so far. */
    long received();

    /** True once the last chunk has been read by the worker. */
    boolean finished();

    /** True once the client has sent the whole body (read or not). */
    boolean complete();

    /** Delivers the next chunk (or the end, or an error) to {@code receiver}, now or when it arrives. */
    void read(Receiver receiver);

    /**
     * Blocks for the next chunk: its data (owned by the caller), or null at the end of the body.
     *
     * @throws IOException if the client went away or nothing came within {@code timeoutNanos}
     */
    ByteBuf take(long timeoutNanos) throws IOException;

    /** Drops what is buffered and what is still to come (the app answered without reading it all). */
    void discard();
}
