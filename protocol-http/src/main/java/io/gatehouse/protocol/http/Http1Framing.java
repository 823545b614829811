package io.gatehouse.protocol.http;

import io.gatehouse.spi.exchange.Fault;
import io.gatehouse.spi.exchange.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * What decides where a request ends and what follows it: Content-Length and Transfer-Encoding (RFC 9112 6), the
 * chunked coding's size lines, extensions and trailers (7.1), Expect (RFC 9110 10.1.1) and Connection (RFC 9112
 * 9.3). Field values are parsed as lists, because repeated fields arrive joined by commas; chunk syntax is checked
 * to the letter of the grammar; anything ambiguous is refused: two parsers that disagree on the length of a body
 * are how requests get smuggled.
 */
final class Http1Framing {
    /**
     * Fields a sender must not put in a trailer (RFC 9110 6.5.1), lower-case: message framing and connection control,
     * routing, request modifiers (controls and conditionals), authentication, and content handling.
     */
    private static final Set<String> NOT_IN_TRAILERS = Set.of(
            "content-length", "transfer-encoding", "trailer", "te", "connection", "keep-alive", "proxy-connection",
            "upgrade", "host", "cache-control", "expect", "max-forwards", "pragma", "range", "if-match",
            "if-none-match", "if-modified-since", "if-unmodified-since", "if-range", "authorization",
            "proxy-authorization", "cookie", "www-authenticate", "proxy-authenticate", "set-cookie",
            "content-encoding", "content-type", "content-range");

    private Http1Framing() {
    }

    /**
     * One length: 1 to 18 decimal digits; anything else is a 400. RFC 9110 8.6 lets a recipient take a list of
     * identical lengths ({@code 5, 5}) as one, but nginx refuses it, and a proxy in front that reads it otherwise
     * is how requests get smuggled, so it is refused here too.
     */
    static long parseContentLength(String raw) {
        int n = raw.length();
        if (n == 0 || n > 18) {
            throw Http1HeadBuilder.bad("invalid Content-Length '" + raw + "'");
        }
        long value = 0;
        for (int k = 0; k < n; k++) {
            char c = raw.charAt(k);
            if (c < '0' || c > '9') {
                throw Http1HeadBuilder.bad(c == ',' ? "Content-Length written as a list '" + raw + "'"
                        : "invalid Content-Length '" + raw + "'");
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /**
     * Accepts only {@code chunked} as the last coding, applied once (RFC 9112 6.1, 6.3): a request without it at
     * the end has no determinable length (400); one with another coding before it is one we do not decode (501).
     */
    static void checkTransferCoding(String raw) {
        String unsupported = null;
        boolean chunkedSeen = false;
        boolean any = false;
        int i = 0;
        int n = raw.length();
        while (i <= n) {
            int comma = raw.indexOf(',', i);
            int end = comma < 0 ? n : comma;
            int s = skipOws(raw, i, end);
            int e = trimOws(raw, s, end);
            i = end + 1;
            if (s == e) {
                continue;
            }
            if (chunkedSeen) {
                throw Http1HeadBuilder.bad("chunked is not the final transfer coding in '" + raw + "'");
            }
            any = true;
            int semicolon = raw.indexOf(';', s);
            int nameEnd = trimOws(raw, s, semicolon >= 0 && semicolon < e ? semicolon : e);
            for (int k = s; k < nameEnd; k++) {
                char c = raw.charAt(k);
                if (c > 0xff || !Http1Constants.isTchar((byte) c)) {
                    throw Http1HeadBuilder.bad("invalid transfer coding in '" + raw + "'");
                }
            }
            if (nameEnd == e && raw.regionMatches(true, s, "chunked", 0, 7) && e - s == 7) {
                chunkedSeen = true;
            } else if (unsupported == null) {
                unsupported = raw.substring(s, nameEnd);
            }
        }
        if (!any || !chunkedSeen) {
            throw Http1HeadBuilder.bad("Transfer-Encoding '" + raw + "' does not end with chunked");
        }
        if (unsupported != null) {
            throw new ProtocolException(Fault.NOT_IMPLEMENTED, "unsupported transfer coding '" + unsupported + "'");
        }
    }

    /** The size of a {@code chunk-size [ chunk-ext ]} line in {@code line[0, end)}, its extensions checked. */
    static long chunkSize(byte[] line, int end) {
        int i = 0;
        long size = 0;
        for (int d; i < end && (d = Http1Constants.hexValue(line[i])) >= 0; i++) {
            if (i == Http1Constants.MAX_CHUNK_SIZE_DIGITS) {
                throw Http1HeadBuilder.bad("chunk size has more than " + Http1Constants.MAX_CHUNK_SIZE_DIGITS
                        + " hex digits");
            }
            size = size << 4 | d;
        }
        if (i == 0) {
            throw Http1HeadBuilder.bad("chunk-size line without a hex size");
        }
        checkExtensions(line, i, end);
        return size;
    }

    /**
     * {@code *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )} in bytes [i, end): names are tokens,
     * values tokens or quoted strings. Whitespace that leads nowhere (after the size, at the end) is refused.
     */
    static void checkExtensions(byte[] line, int i, int end) {
        while (i < end) {
            i = skipBws(line, i, end);
            if (i == end || line[i] != ';') {
                throw Http1HeadBuilder.bad("invalid chunk extension");
            }
            i = token(line, skipBws(line, i + 1, end), end, "chunk extension name");
            int next = skipBws(line, i, end);
            if (next < end && line[next] == '=') {
                i = skipBws(line, next + 1, end);
                i = i < end && line[i] == '"' ? quotedString(line, i, end)
                        : token(line, i, end, "chunk extension value");
            }
        }
    }

    /**
     * {@code field-name ":" OWS field-value OWS} of one trailer line in bytes [start, end), whose field may be sent
     * in a trailer at all. Trailers are never merged into the environ, but one that carries a field RFC 9110 6.5.1
     * keeps out of trailers (framing, routing, request modifiers, authentication, content handling) is refused:
     * only a client probing for a server that would merge it sends one.
     */
    static void checkTrailerLine(byte[] line, int end) {
        int colon = token(line, 0, end, "trailer field name");
        if (colon == end || line[colon] != ':') {
            throw Http1HeadBuilder.bad("invalid trailer field line");
        }
        String name = new String(line, 0, colon, StandardCharsets.ISO_8859_1);
        if (NOT_IN_TRAILERS.contains(name.toLowerCase(Locale.ROOT))) {
            throw Http1HeadBuilder.bad(name + " is not allowed in a trailer");
        }
        for (int i = colon + 1; i < end; i++) {
            if (Http1Constants.isInvalidFieldByte(line[i])) {
                throw Http1HeadBuilder.bad("control character in trailer field value");
            }
        }
    }

    /** End of the token starting at {@code i}; at least one tchar is required. */
    private static int token(byte[] line, int i, int end, String what) {
        int start = i;
        while (i < end && Http1Constants.isTchar(line[i])) {
            i++;
        }
        if (i == start) {
            throw Http1HeadBuilder.bad("invalid " + what);
        }
        return i;
    }

    /** End of the quoted-string opening at {@code i} (RFC 9110 5.6.4). */
    private static int quotedString(byte[] line, int i, int end) {
        for (i++; i < end; i++) {
            byte b = line[i];
            if (b == '"') {
                return i + 1;
            }
            if (b == '\\') {
                i++;
                if (i == end) {
                    break;
                }
                b = line[i];
            }
            if (Http1Constants.isInvalidFieldByte(b)) {
                throw Http1HeadBuilder.bad("control character in chunk extension");
            }
        }
        throw Http1HeadBuilder.bad("unterminated quoted string in chunk extension");
    }

    private static int skipBws(byte[] line, int i, int end) {
        while (i < end && (line[i] == Http1Constants.SP || line[i] == Http1Constants.HTAB)) {
            i++;
        }
        return i;
    }

    /** Every expectation must be 100-continue, the only one defined (RFC 9110 10.1.1); others get 417. */
    static void checkExpectation(String raw) {
        forEachToken(raw, (s, e) -> {
            if (e - s != 12 || !raw.regionMatches(true, s, "100-continue", 0, 12)) {
                throw new ProtocolException(Fault.EXPECTATION_FAILED, "unsupported expectation '" + raw + "'");
            }
        });
    }

    /**
     * Whether the connection may carry another request (RFC 9112 9.3): HTTP/1.1 unless {@code close}; HTTP/1.0
     * only with {@code keep-alive}. Options are matched as whole tokens, never as substrings.
     */
    static boolean keepAlive(boolean http11, String connection) {
        if (connection == null) {
            return http11;
        }
        if (connection.equalsIgnoreCase("keep-alive")) {
            return true;
        }
        if (connection.equalsIgnoreCase("close")) {
            return false;
        }
        return !hasToken(connection, "close") && (http11 || hasToken(connection, "keep-alive"));
    }

    /** True when the comma-separated {@code list} holds {@code token} (case-insensitive, whole elements only). */
    static boolean hasToken(String list, String token) {
        boolean[] found = new boolean[1];
        forEachToken(list, (s, e) -> found[0] |= e - s == token.length() && list.regionMatches(true, s, token, 0,
                token.length()));
        return found[0];
    }

    private interface TokenAction {
        void accept(int start, int end);
    }

    /** Calls {@code action} with the bounds of each non-empty list element, optional whitespace trimmed. */
    private static void forEachToken(String raw, TokenAction action) {
        int i = 0;
        int n = raw.length();
        while (i <= n) {
            int comma = raw.indexOf(',', i);
            int end = comma < 0 ? n : comma;
            int s = skipOws(raw, i, end);
            int e = trimOws(raw, s, end);
            if (s < e) {
                action.accept(s, e);
            }
            i = end + 1;
        }
    }

    private static int skipOws(String s, int from, int to) {
        while (from < to && (s.charAt(from) == ' ' || s.charAt(from) == '\t')) {
            from++;
        }
        return from;
    }

    private static int trimOws(String s, int from, int to) {
        while (to > from && (s.charAt(to - 1) == ' ' || s.charAt(to - 1) == '\t')) {
            to--;
        }
        return to;
    }
}
