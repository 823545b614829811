package io.gatehouse.protocol.http;

import java.nio.charset.StandardCharsets;

/** Bytes and limits of HTTP/1.1 message syntax (RFC 9112). */
final class Http1Constants {
    static final byte CR = '\r';
    static final byte LF = '\n';
    static final byte SP = ' ';
    static final byte HTAB = '\t';
    static final byte COLON = ':';

    static final byte[] CRLF = {CR, LF};
    static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    static final String HTTP_1_0 = "HTTP/1.0";
    static final String HTTP_1_1 = "HTTP/1.1";

    /** A chunk-size line: up to 16 hex digits plus extensions; longer is not a real client (RFC 9112 7.1). */
    static final int MAX_CHUNK_LINE = 4096;

    /** token characters of field names and methods (RFC 9110 5.6.2). */
    private static final boolean[] TCHAR = new boolean[256];

    static {
        for (char c = '0'; c <= '9'; c++) {
            TCHAR[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            TCHAR[c] = true;
            TCHAR[c - 32] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TCHAR[c] = true;
        }
    }

    private Http1Constants() {
    }

    static boolean isTchar(byte b) {
        return TCHAR[b & 0xff];
    }
}
