package io.gatehouse.spi.exchange;

/**
 * A decoder's verdict on bad input: the fault, and a detail naming the limit or rule and the value seen
 * (for the log line; clients get only the status's generic text).
 */
public final class ProtocolException extends RuntimeException {
    private final Fault fault;

    /** A fault with a detail such as "vars block of 70000 bytes exceeds buffer-size 65535". */
    public ProtocolException(Fault fault, String detail) {
        super(detail, null, false, false);
        this.fault = fault;
    }

    /** The fault, carrying the status and the close flag. */
    public Fault fault() {
        return fault;
    }
}
