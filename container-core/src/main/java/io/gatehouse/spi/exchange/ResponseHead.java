package io.gatehouse.spi.exchange;

import io.gatehouse.app.Headers;

/**
 * The status and header fields of a response, with the head of the request it answers (so an encoder can
 * tell HEAD from GET, the HTTP version, and the stream id without keeping state of its own).
 */
public final class ResponseHead {
    private final EnvironHead request;
    private final int status;
    private final String reason;
    private final Headers headers;
    private final long contentLength;
    private final boolean close;

    /**
     * A response head. {@code reason} may be null for the standard phrase; {@code contentLength} is
     * {@link EnvironHead#UNKNOWN_LENGTH} when the body streams; {@code close} asks the listener to close the
     * connection after this response. The listener's response has refused whatever {@link ResponseFields} refuses
     * before it makes one, so no encoder is ever handed a head that could split the response.
     */
    public ResponseHead(EnvironHead request, int status, String reason, Headers headers, long contentLength,
            boolean close) {
        // 101 only as the answer to a WebSocket handshake the listener offered
        assert ResponseFields.problem(status == 101 && request.websocket() != null ? 200 : status, reason, headers)
                == null : ResponseFields.problem(status, reason, headers);
        this.request = request;
        this.status = status;
        this.reason = reason;
        this.headers = headers;
        this.contentLength = contentLength;
        this.close = close;
    }

    /** The head of the request being answered. */
    public EnvironHead request() {
        return request;
    }

    /** The stream this response belongs to. */
    public int streamId() {
        return request.streamId();
    }

    /** The status code. */
    public int status() {
        return status;
    }

    /** The reason phrase: as given, or the standard one for the status. */
    public String reason() {
        return reason != null ? reason : StatusReasons.of(status);
    }

    /** The header fields as the app set them (listeners add framing fields of their own). */
    public Headers headers() {
        return headers;
    }

    /** Body length in bytes, or {@link EnvironHead#UNKNOWN_LENGTH}. */
    public long contentLength() {
        return contentLength;
    }

    /** True when the connection closes after this response. */
    public boolean close() {
        return close;
    }

    /** True when the response must carry no body: HEAD requests, 1xx, 204 and 304. */
    public boolean bodyless() {
        return request.isHead() || status < 200 || status == 204 || status == 304;
    }

    @Override
    public String toString() {
        return "ResponseHead(" + status + " " + reason() + ", stream=" + streamId() + ", length=" + contentLength
                + (close ? ", close" : "") + ", " + headers + ")";
    }
}
