package io.gatehouse.app;

/** Names of the environ keys defined by CGI/1.1 (RFC 3875 section 4.1), PEP 3333 and Gatehouse. */
public final class EnvironKeys {
    public static final String REQUEST_METHOD = "REQUEST_METHOD";
    public static final String SCRIPT_NAME = "SCRIPT_NAME";
    public static final String PATH_INFO = "PATH_INFO";
    public static final String QUERY_STRING = "QUERY_STRING";
    public static final String REQUEST_URI = "REQUEST_URI";
    public static final String CONTENT_TYPE = "CONTENT_TYPE";
    public static final String CONTENT_LENGTH = "CONTENT_LENGTH";
    public static final String SERVER_NAME = "SERVER_NAME";
    public static final String SERVER_PORT = "SERVER_PORT";
    public static final String SERVER_PROTOCOL = "SERVER_PROTOCOL";
    public static final String SERVER_SOFTWARE = "SERVER_SOFTWARE";
    public static final String GATEWAY_INTERFACE = "GATEWAY_INTERFACE";
    public static final String REMOTE_ADDR = "REMOTE_ADDR";
    public static final String REMOTE_PORT = "REMOTE_PORT";
    public static final String REMOTE_USER = "REMOTE_USER";
    public static final String AUTH_TYPE = "AUTH_TYPE";
    public static final String HTTPS = "HTTPS";
    public static final String HTTP_HOST = "HTTP_HOST";
    public static final String DOCUMENT_ROOT = "DOCUMENT_ROOT";

    /** PEP 3333's scheme key; set by the listener from HTTPS, the front server's vars or the TLS state. */
    public static final String WSGI_URL_SCHEME = "wsgi.url_scheme";

    /** Gatehouse: the listener a request arrived on (its configured name). */
    public static final String GATEHOUSE_LISTENER = "gatehouse.listener";
    /** Gatehouse: the protocol a request arrived over (http, uwsgi, scgi, fastcgi, ajp). */
    public static final String GATEHOUSE_PROTOCOL = "gatehouse.protocol";

    /** The server software string listeners put in SERVER_SOFTWARE. */
    public static final String SOFTWARE = "Gatehouse";

    private EnvironKeys() {
    }
}
