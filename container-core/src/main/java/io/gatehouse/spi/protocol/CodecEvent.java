package io.gatehouse.spi.protocol;

/** User events a protocol's codec fires from the pipeline's head for the core's connection handling. */
public enum CodecEvent {
    /**
     * The codec answered a control message that belongs to no request (AJP's CPING, say): the bytes read were not
     * the start of a request head, so a connection with no request in flight is idle again rather than waiting out
     * the header timeout (and being answered 408 it never asked for).
     */
    CONTROL_ANSWERED,
    /**
     * The codec ends the connection after the response being written, for a reason of its own framing (a body
     * delimited by the close, a body of another length than announced, the app's {@code Connection: close}). The core
     * closes it once the response is out, lingering while a request body is still arriving, rather than the codec
     * closing it and resetting a peer that is still sending.
     */
    CLOSE_AFTER_RESPONSE,
    /**
     * The connection turned out to carry concurrent streams with flow control of their own (HTTP/2, once ALPN or the
     * connection preface says so); fired before the first head. From then on the listener runs each stream's
     * exchange side by side, ends only the stream a fault or a closing response concerns, reports what the app
     * consumed of each request body ({@link io.gatehouse.spi.exchange.BodyConsumed}) instead of pausing the whole
     * connection, and holds back each stream's writers while the codec says it is not writable
     * ({@link io.gatehouse.spi.exchange.StreamWritability}).
     */
    MULTIPLEXED_STREAMS
}
