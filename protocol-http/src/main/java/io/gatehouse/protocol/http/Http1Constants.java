package io.gatehouse.protocol.http;

import java.nio.charset.StandardCharsets;

/** Bytes, character classes and fixed limits of HTTP/1.1 message syntax (RFC 9112, RFC 9110 section 5.6). */
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

    /**
     * Longest chunk-size line (size, extensions, CRLF). RFC 9112 7.1.1 sets no bound; 16 hex digits plus a few
     * short extensions is all a real client sends, and a longer line is bytes outside every body limit.
     */
    static final int MAX_CHUNK_LINE = 4096;

    /** Most hex digits of a chunk size: 15 keep it below 2^60, far beyond any body and clear of overflow. */
    static final int MAX_CHUNK_SIZE_DIGITS = 15;

    /** Methods common enough to share one String instead of decoding a new one per request. */
    private static final String[] METHODS = {"GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "PATCH"};

    /** token characters of field names, methods and codings (RFC 9110 5.6.2). */
    private static final boolean[] TCHAR = new boolean[256];
    /** Hex digit values, -1 for anything else. */
    private static final byte[] HEX = new byte[256];

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
        java.util.Arrays.fill(HEX, (byte) -1);
        for (int i = 0; i < 16; i++) {
            HEX["0123456789abcdef".charAt(i)] = (byte) i;
            HEX["0123456789ABCDEF".charAt(i)] = (byte) i;
        }
    }

    private Http1Constants() {
    }

    static boolean isTchar(byte b) {
        return TCHAR[b & 0xff];
    }

    /** The value of a hex digit, or -1. */
    static int hexValue(byte b) {
        return HEX[b & 0xff];
    }

    /**
     * A field value byte that is not allowed (RFC 9110 5.5): controls other than HTAB, and DEL. CR, LF and NUL
     * among them are the ones that split or truncate messages downstream.
     */
    static boolean isInvalidFieldByte(byte b) {
        return (b < 0x20 && b != HTAB && b >= 0) || b == 0x7f;
    }

    /** The method in {@code line[0, length)} as a String, shared for the common ones. */
    static String method(byte[] line, int length) {
        for (String m : METHODS) {
            if (m.length() == length && matches(line, m)) {
                return m;
            }
        }
        return new String(line, 0, length, StandardCharsets.US_ASCII);
    }

    private static boolean matches(byte[] line, String ascii) {
        for (int i = 0; i < ascii.length(); i++) {
            if (line[i] != ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
