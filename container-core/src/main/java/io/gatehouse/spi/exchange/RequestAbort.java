package io.gatehouse.spi.exchange;

/**
 * Tells the core that the client gave up one stream of a multiplexed connection (FastCGI's FCGI_ABORT_REQUEST):
 * that stream's exchange ends as if its client had left, and the other streams carry on. The inbound counterpart
 * of {@link ResponseAbort}.
 */
public record RequestAbort(int streamId) {
}
