package io.gatehouse.runtime.python;

/** A worker broke the worker protocol (a frame over the limit, a frame out of place, a malformed payload). */
final class WsgiProtocolException extends Exception {
    private static final long serialVersionUID = 1L;

    WsgiProtocolException(String message) {
        super(message);
    }
}
