package io.gatehouse.runtime.python;

import io.netty.handler.codec.DecoderException;

/** A worker broke the worker protocol (a frame over the limit, a frame out of place, a malformed payload). */
final class WsgiProtocolException extends Exception {
    private static final long serialVersionUID = 1L;

    WsgiProtocolException(String message) {
        super(message);
    }

    /** The failure behind {@code cause}: the decoder's own exception when the pipeline wrapped it. */
    static Throwable unwrap(Throwable cause) {
        return cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
    }
}
