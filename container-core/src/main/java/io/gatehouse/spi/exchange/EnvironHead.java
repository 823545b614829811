package io.gatehouse.spi.exchange;

import io.gatehouse.app.Environ;
import io.gatehouse.app.EnvironKeys;

/**
 * A decoded request head: the environ, what is known of the body, and the stream it belongs to.
 * A decoder that can still answer a bad request emits a failed head (see {@link #failed}) instead.
 */
public final class EnvironHead {
    /** Body length when it is not known in advance (chunked, or streamed until an end marker). */
    public static final long UNKNOWN_LENGTH = -1;

    private final Environ environ;
    private final int streamId;
    private final long contentLength;
    private final boolean keepAlive;
    private final ProtocolException failure;
    private boolean expectContinue;
    private VarsReport varsReport = VarsReport.NONE;
    private WebSocket.Handshake websocket;

    /** A good head. {@code keepAlive} says whether the client allows another request on the connection. */
    public EnvironHead(Environ environ, int streamId, long contentLength, boolean keepAlive) {
        this(environ, streamId, contentLength, keepAlive, null);
    }

    private EnvironHead(Environ environ, int streamId, long contentLength, boolean keepAlive,
            ProtocolException failure) {
        this.environ = environ;
        this.streamId = streamId;
        this.contentLength = contentLength;
        this.keepAlive = keepAlive;
        this.failure = failure;
    }

    /** A head the decoder refused; the environ holds whatever was decoded before the fault (may be empty). */
    public static EnvironHead failed(Environ partial, int streamId, ProtocolException failure) {
        return new EnvironHead(partial, streamId, 0, false, failure);
    }

    /**
     * A refused head whose body of {@code contentLength} bytes still follows on the connection, as body chunks:
     * the listener reads and drops it before closing (bounded in time), so the peer gets the answer, not a reset.
     */
    public static EnvironHead failed(Environ partial, int streamId, ProtocolException failure, long contentLength) {
        return new EnvironHead(partial, streamId, contentLength, false, failure);
    }

    /** The request's environ. */
    public Environ environ() {
        return environ;
    }

    /** The stream id for multiplexing protocols (FastCGI request id); 0 elsewhere. */
    public int streamId() {
        return streamId;
    }

    /** Body length in bytes, 0 for none, {@link #UNKNOWN_LENGTH} when it ends with an end marker. */
    public long contentLength() {
        return contentLength;
    }

    /** True if the client allows the connection to carry another request after this one. */
    public boolean keepAlive() {
        return keepAlive;
    }

    /** True if the decoder refused this request. */
    public boolean isFailed() {
        return failure != null;
    }

    /** Why the decoder refused this request, or null. */
    public ProtocolException failure() {
        return failure;
    }

    /** True when the client waits for 100 Continue before it sends the body. */
    public boolean expectContinue() {
        return expectContinue;
    }

    /** Marks the head as waiting for 100 Continue (set by the decoder before it emits the head). */
    public EnvironHead expectContinue(boolean expect) {
        this.expectContinue = expect;
        return this;
    }

    /** What completing the front server's variables filled in or ignored ({@link VarsReport#NONE} for most). */
    public VarsReport varsReport() {
        return varsReport;
    }

    /** Records what completing the front server's variables reported (set by the decoder before it emits the head). */
    public EnvironHead varsReport(VarsReport report) {
        this.varsReport = report;
        return this;
    }

    /** The WebSocket handshake this request offers and the listener can carry out, or null. */
    public WebSocket.Handshake websocket() {
        return websocket;
    }

    /** Marks the head as a WebSocket handshake (set by the listener before the head reaches the exchange). */
    public EnvironHead websocket(WebSocket.Handshake handshake) {
        this.websocket = handshake;
        return this;
    }

    /** True for HEAD requests, whose responses carry headers only. */
    public boolean isHead() {
        return "HEAD".equals(environ.get(EnvironKeys.REQUEST_METHOD));
    }

    @Override
    public String toString() {
        return "EnvironHead(stream=" + streamId + ", length=" + contentLength
                + (failure != null ? ", failed=" + failure.fault() + ": " + failure.getMessage() : "")
                + ", " + environ + ")";
    }
}
