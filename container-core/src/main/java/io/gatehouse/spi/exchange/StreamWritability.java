package io.gatehouse.spi.exchange;

/**
 * Tells the listener whether one stream of a connection with flow control per stream (HTTP/2) can take more response
 * bytes: false while the client keeps the stream's window closed, so the app's writers wait for that stream alone
 * instead of queueing its body in memory. Passed up the pipeline by the protocol's codec.
 */
public record StreamWritability(int streamId, boolean writable) {
}
