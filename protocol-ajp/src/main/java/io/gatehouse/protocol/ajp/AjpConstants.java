package io.gatehouse.protocol.ajp;

/**
 * Codes and sizes of AJP13, as the Apache Tomcat connector reference ("AJPv13") and its two web-server peers,
 * mod_jk and mod_proxy_ajp, define them.
 */
final class AjpConstants {
    /** Magic of packets from the web server ("Packet structure"). */
    static final int MAGIC_IN = 0x1234;
    /** Magic of packets to the web server: "AB". */
    static final int MAGIC_OUT = 0x4142;
    /** Magic and length: the header of every packet. */
    static final int HEADER_SIZE = 4;
    /** Header plus the chunk length of a request body packet: data per body packet is packet-size minus this. */
    static final int BODY_PACKET_OVERHEAD = HEADER_SIZE + 2;
    /**
     * Header, prefix code, chunk length and the trailing NUL of a SEND_BODY_CHUNK: response data per packet is
     * packet-size minus this (Tomcat's SEND_HEAD_LEN; mod_proxy_ajp checks the length and the NUL).
     */
    static final int SEND_BODY_OVERHEAD = HEADER_SIZE + 1 + 2 + 1;
    /** Tomcat's packetSize and mod_jk's max_packet_size: 8192 by default, at most 65536. */
    static final int DEFAULT_PACKET_SIZE = 8192;
    static final int MAX_PACKET_SIZE = 65536;
    /** A string length of 0xFFFF means a null string ("Data types"). */
    static final int NULL_STRING = 0xFFFF;

    // Prefix codes ("Request packet structure", "Response packet structure").
    static final int FORWARD_REQUEST = 2;
    static final int SEND_BODY_CHUNK = 3;
    static final int SEND_HEADERS = 4;
    static final int END_RESPONSE = 5;
    static final int GET_BODY_CHUNK = 6;
    static final int CPONG_REPLY = 9;
    static final int CPING = 10;

    /** Method code of a method without a code of its own: the name follows as a stored_method attribute. */
    static final int STORED_METHOD_CODE = 0xFF;

    /** Methods by code, 1 (OPTIONS) to 27 (MKACTIVITY); index 0 unused. */
    static final String[] METHODS = {null, "OPTIONS", "GET", "HEAD", "POST", "PUT", "DELETE", "TRACE", "PROPFIND",
        "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK", "ACL", "REPORT", "VERSION-CONTROL", "CHECKIN",
        "CHECKOUT", "UNCHECKOUT", "SEARCH", "MKWORKSPACE", "UPDATE", "LABEL", "MERGE", "BASELINE-CONTROL",
        "MKACTIVITY"};

    /** Header names with a code: 0xA0 then the index (1 to 14), already as environ keys. */
    static final int CODED_HEADER = 0xA0;
    static final String[] REQUEST_HEADER_KEYS = {null, "HTTP_ACCEPT", "HTTP_ACCEPT_CHARSET", "HTTP_ACCEPT_ENCODING",
        "HTTP_ACCEPT_LANGUAGE", "HTTP_AUTHORIZATION", "HTTP_CONNECTION", "CONTENT_TYPE", "CONTENT_LENGTH",
        "HTTP_COOKIE", "HTTP_COOKIE2", "HTTP_HOST", "HTTP_PRAGMA", "HTTP_REFERER", "HTTP_USER_AGENT"};

    /** Response header names with a code, 0xA001 to 0xA00B, lower-cased for matching. */
    static final String[] RESPONSE_HEADER_NAMES = {null, "content-type", "content-language", "content-length",
        "date", "last-modified", "location", "set-cookie", "set-cookie2", "servlet-engine", "status",
        "www-authenticate"};

    // Attribute codes of the forward request ("Request packet structure", optional information).
    static final int ATTR_CONTEXT = 0x01;
    static final int ATTR_SERVLET_PATH = 0x02;
    static final int ATTR_REMOTE_USER = 0x03;
    static final int ATTR_AUTH_TYPE = 0x04;
    static final int ATTR_QUERY_STRING = 0x05;
    static final int ATTR_ROUTE = 0x06;
    static final int ATTR_SSL_CERT = 0x07;
    static final int ATTR_SSL_CIPHER = 0x08;
    static final int ATTR_SSL_SESSION = 0x09;
    static final int ATTR_REQ_ATTRIBUTE = 0x0A;
    static final int ATTR_SSL_KEY_SIZE = 0x0B;
    static final int ATTR_SECRET = 0x0C;
    static final int ATTR_STORED_METHOD = 0x0D;
    static final int ATTR_ARE_DONE = 0xFF;

    // req_attribute names mod_jk and mod_proxy_ajp send on their own, and the environ keys they become.
    static final String REQ_REMOTE_PORT = "AJP_REMOTE_PORT";
    static final String REQ_LOCAL_ADDR = "AJP_LOCAL_ADDR";
    static final String REQ_SSL_PROTOCOL = "AJP_SSL_PROTOCOL";
    static final String REQ_LB_ACTIVATION = "JK_LB_ACTIVATION";

    private AjpConstants() {
    }
}
