package io.gatehouse.spi.exchange;

/**
 * Tells a protocol with flow control per stream (HTTP/2) that the app has taken {@code bytes} of the request body of
 * stream {@code streamId}, so the client may send that many more (a WINDOW_UPDATE). Written down the pipeline by
 * the listener only on connections that announced {@link io.gatehouse.spi.protocol.CodecEvent#MULTIPLEXED_STREAMS}.
 */
public record BodyConsumed(int streamId, int bytes) {
}
