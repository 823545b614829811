package io.gatehouse.spi.exchange;

/**
 * A 1xx answer sent before the real response, such as 100 Continue for a client that waits before sending its
 * body. Only protocols that carry interim responses (HTTP) write it; the others never see one requested.
 */
public record InterimResponse(int status, int streamId) {
    /** 100 Continue on stream 0. */
    public static final InterimResponse CONTINUE = new InterimResponse(100, 0);
}
