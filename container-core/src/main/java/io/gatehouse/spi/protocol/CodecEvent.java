package io.gatehouse.spi.protocol;

/** User events a protocol's codec fires from the pipeline's head for the core's connection handling. */
public enum CodecEvent {
    /**
     * The codec answered a control message that belongs to no request (AJP's CPING, say): the bytes read were not
     * the start of a request head, so a connection with no request in flight is idle again rather than waiting out
     * the header timeout (and being answered 408 it never asked for).
     */
    CONTROL_ANSWERED
}
