package io.gatehouse.protocol.fastcgi;

/** Numbers of the FastCGI 1.0 specification (Open Market, 1996); section numbers refer to it. */
final class FcgiConstants {
    /** 3.3: every record starts with an 8-byte header. */
    static final int HEADER_LENGTH = 8;
    /** 3.3: the only version there is. */
    static final int VERSION_1 = 1;
    /** 3.3: contentLength is 16 bits, so no record carries more. */
    static final int MAX_CONTENT_LENGTH = 0xffff;
    /** 3.3: requestId 0 marks a management record. */
    static final int NULL_REQUEST_ID = 0;

    /** 5.1: the body of FCGI_BEGIN_REQUEST (role, flags, 5 reserved bytes). */
    static final int BEGIN_REQUEST_BODY_LENGTH = 8;
    /** 5.1: the flag asking the application to keep the connection open after the response. */
    static final int FLAG_KEEP_CONN = 1;

    /** 6: the roles; only the responder is implemented. */
    static final int ROLE_RESPONDER = 1;
    static final int ROLE_AUTHORIZER = 2;
    static final int ROLE_FILTER = 3;

    /** 5.5: protocolStatus values of FCGI_END_REQUEST. */
    static final int REQUEST_COMPLETE = 0;
    static final int CANT_MPX_CONN = 1;
    static final int OVERLOADED = 2;
    static final int UNKNOWN_ROLE = 3;

    /** appStatus of a request answered in full (the CGI exit status 0). */
    static final int APP_STATUS_OK = 0;
    /** appStatus of a request cut short: the app failed after its head, or the web server aborted it. */
    static final int APP_STATUS_ABORTED = 1;

    /** 4.1: the variables an FCGI_GET_VALUES query may ask for. */
    static final String MAX_CONNS = "FCGI_MAX_CONNS";
    static final String MAX_REQS = "FCGI_MAX_REQS";
    static final String MPXS_CONNS = "FCGI_MPXS_CONNS";

    /**
     * Content bytes per STDOUT record when framing a file: a multiple of 8 (3.3 recommends 8-byte alignment) that,
     * with the header, fills a 64 KiB buffer.
     */
    static final int FILE_RECORD_CONTENT = 65536 - HEADER_LENGTH;

    private FcgiConstants() {
    }

    /** A role's name for log lines. */
    static String roleName(int role) {
        return switch (role) {
            case ROLE_RESPONDER -> "RESPONDER";
            case ROLE_AUTHORIZER -> "AUTHORIZER";
            case ROLE_FILTER -> "FILTER";
            default -> "role " + role;
        };
    }
}
