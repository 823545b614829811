package io.gatehouse.spi.exchange;

import io.gatehouse.app.Headers;
import io.netty.buffer.ByteBuf;
import java.nio.channels.FileChannel;

/**
 * The way back to the client for one exchange, usable from any thread: a head, body chunks or file regions,
 * then an end or an abort. Once the response is done (ended, aborted, answered by harakiri, or the client left),
 * further writes are dropped and their buffers released, so a late worker cannot corrupt the connection.
 */
public interface Response {

    /** Sends the status line and header fields. Returns false if the response is already done. */
    boolean head(int status, String reason, Headers headers, long contentLength);

    /** Sends body bytes (taking ownership of {@code data}); flushes when asked. False if the response is done. */
    boolean chunk(ByteBuf data, boolean flush);

    /** Sends a file region as body (taking ownership of {@code file}). False if the response is done. */
    boolean file(FileChannel file, long position, long count);

    /** Flushes what was written so far. */
    void flush();

    /** Ends the response normally. */
    void end();

    /**
     * Ends the response abnormally after the head was sent: the stream (multiplexed protocols) or the
     * connection (the others) is cut, so the client sees a truncated response, never a wrong one.
     */
    void abort();

    /**
     * Answers with a small plain-text error if nothing was sent yet, else aborts. Used for 500 after an app
     * exception, 502 when a worker dies, 503 when the queue is full, 504 on harakiri.
     */
    void error(int status, Headers extra);

    /** True once the head has been sent (or the response is done). */
    boolean committed();

    /** True once the response has ended, been aborted or been cut off. */
    boolean done();

    /** The status sent, or 0 before the head. */
    int status();

    /** Body bytes handed to the listener so far. */
    long bytesSent();

    /** True on the thread that writes to the client's socket, which must never wait for it. */
    boolean onLoop();

    /** True when the client's socket accepts more data without queueing in memory. */
    boolean writable();

    /** Runs {@code callback} once the socket is writable again (at once if it is), on the listener's loop. */
    void whenWritable(Runnable callback);

    /** Blocks until the socket is writable, the response is done, or {@code timeoutNanos} pass. */
    boolean awaitWritable(long timeoutNanos) throws InterruptedException;
}
