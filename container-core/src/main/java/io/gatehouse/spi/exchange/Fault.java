package io.gatehouse.spi.exchange;

/** What was wrong with a request, as the status it is answered with and whether the connection must close. */
public enum Fault {
    BAD_REQUEST(400, "Bad Request", true),
    FORBIDDEN(403, "Forbidden", true),
    REQUEST_TIMEOUT(408, "Request Timeout", true),
    PAYLOAD_TOO_LARGE(413, "Content Too Large", true),
    URI_TOO_LONG(414, "URI Too Long", true),
    EXPECTATION_FAILED(417, "Expectation Failed", true),
    HEADERS_TOO_LARGE(431, "Request Header Fields Too Large", true),
    NOT_IMPLEMENTED(501, "Not Implemented", true),
    VERSION_NOT_SUPPORTED(505, "HTTP Version Not Supported", true);

    private final int status;
    private final String reason;
    private final boolean close;

    Fault(int status, String reason, boolean close) {
        this.status = status;
        this.reason = reason;
        this.close = close;
    }

    /** The status code the request is answered with. */
    public int status() {
        return status;
    }

    /** The reason phrase of that status. */
    public String reason() {
        return reason;
    }

    /** True when the connection cannot be trusted for another request afterwards. */
    public boolean close() {
        return close;
    }
}
