package io.gatehouse.spi.exchange;

/**
 * Tells a multiplexing protocol's encoder that a response on one stream ends abnormally (the app failed after
 * the head was sent), so it can end that stream alone; other protocols close the connection instead.
 */
public record ResponseAbort(int streamId) {
}
