package io.gatehouse.protocol.http;

import static io.gatehouse.protocol.http.Http1Constants.COLON;
import static io.gatehouse.protocol.http.Http1Constants.HTAB;
import static io.gatehouse.protocol.http.Http1Constants.SP;

import io.gatehouse.app.Environ;
import io.gatehouse.app.EnvironKeys;
import io.gatehouse.protocol.http.Http1HeaderNames.Role;
import io.gatehouse.spi.exchange.EnvironHead;
import io.gatehouse.spi.exchange.Fault;
import io.gatehouse.spi.exchange.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Builds one request's environ from its request line and field lines (each handed over as bytes), then
 * applies the message rules of RFC 9112: Host (3.2), body framing (6: Content-Length against Transfer-Encoding,
 * which request smuggling plays on), Expect (RFC 9110 10.1.1) and persistence (9.3).
 */
final class Http1HeadBuilder {
    /** Keys that only an underscore spelling of a field we interpret reaches here with: never passed on. */
    static final Set<String> FRAMING_KEYS = Set.of("HTTP_CONTENT_LENGTH", "HTTP_CONTENT_TYPE",
            "HTTP_TRANSFER_ENCODING", EnvironKeys.HTTP_HOST, "HTTP_EXPECT", "HTTP_CONNECTION");

    private final Http1Connection connection;
    private final int maxHeaders;
    private final long maxBodySize;
    private final boolean allowUnderscore;
    private Environ environ;
    private String method;
    private boolean http11;
    private String authority;
    private String contentLength;
    private String transferEncoding;
    private String host;
    private String expect;
    private String connectionTokens;
    private int hostCount;
    private int headerCount;
    /** Known field names seen in this head, one bit each: a first occurrence is appended without a lookup. */
    private long seen;
    private boolean contentType;
    private boolean chunked;
    /** The body a refused head still has on the wire, once the framing is known to be sound (see {@link #drain}). */
    private long drain;

    Http1HeadBuilder(Http1Options options, Http1Connection connection) {
        this.connection = connection;
        this.maxHeaders = options.maxHeaders();
        this.maxBodySize = options.maxBodySize().bytes();
        this.allowUnderscore = options.allowUnderscoreHeaders();
    }

    /** What was decoded of the current request so far, for a failed head (empty if its line was refused). */
    Environ partial() {
        return environ != null ? environ : new Environ(4);
    }

    /** Parses {@code method SP request-target SP HTTP-version} from {@code line[0, end)}, line ending excluded. */
    void requestLine(byte[] line, int end) {
        environ = new Environ();
        authority = contentLength = transferEncoding = host = expect = connectionTokens = null;
        hostCount = headerCount = 0;
        seen = 0;
        contentType = chunked = false;
        drain = 0;
        int sp1 = 0;
        while (sp1 < end && Http1Constants.isTchar(line[sp1])) {
            sp1++;
        }
        if (sp1 < end && line[sp1] != SP) {
            throw bad("invalid character in method");
        }
        int sp2 = end - 9;
        if (sp1 == 0 || sp2 <= sp1 + 1 || line[sp2] != SP) {
            throw bad("malformed request line");
        }
        String version = version(line, sp2 + 1);
        method = Http1Constants.method(line, sp1);
        if (method.equals("CONNECT")) {
            throw new ProtocolException(Fault.NOT_IMPLEMENTED, "CONNECT is not supported");
        }
        for (int i = sp1 + 1; i < sp2; i++) {
            byte b = line[i];
            if ((b >= 0 && b <= SP) || b == 0x7f) {
                throw bad("invalid character in request target");
            }
        }
        environ.append(EnvironKeys.REQUEST_METHOD, method);
        environ.append(EnvironKeys.SERVER_PROTOCOL, version);
        authority = Http1Target.fill(environ, new String(line, sp1 + 1, sp2 - sp1 - 1, StandardCharsets.ISO_8859_1),
                method);
    }

    /** {@code HTTP/DIGIT.DIGIT} (RFC 9112 2.3): 1.0 and 1.1; a later 1.x is served as 1.1 (RFC 9110 6.2). */
    private String version(byte[] line, int at) {
        byte major = line[at + 5];
        byte minor = line[at + 7];
        if (line[at] != 'H' || line[at + 1] != 'T' || line[at + 2] != 'T' || line[at + 3] != 'P' || line[at + 4] != '/'
                || line[at + 6] != '.' || major < '0' || major > '9' || minor < '0' || minor > '9') {
            throw bad("malformed HTTP version");
        }
        if (major != '1') {
            throw new ProtocolException(Fault.VERSION_NOT_SUPPORTED, "unsupported version HTTP/" + (char) major
                    + "." + (char) minor);
        }
        http11 = minor != '0';
        return minor == '0' ? Http1Constants.HTTP_1_0 : minor == '1' ? Http1Constants.HTTP_1_1
                : new String(line, at, 8, StandardCharsets.US_ASCII);
    }

    /** Parses one {@code field-name ":" OWS field-value OWS} line from {@code line[0, end)}, line ending excluded. */
    void header(byte[] line, int end) {
        if (++headerCount > maxHeaders) {
            throw new ProtocolException(Fault.HEADERS_TOO_LARGE, "more than max-headers " + maxHeaders
                    + " header fields");
        }
        if (line[0] == SP || line[0] == HTAB) {
            throw bad("obsolete line folding or whitespace before a header field");
        }
        int colon = 0;
        while (colon < end && line[colon] != COLON) {
            colon++;
        }
        if (colon == end) {
            throw bad("header line without a colon");
        }
        Http1HeaderNames.Name known = colon > 0 ? Http1HeaderNames.find(line, 0, colon) : null;
        String key;
        Role role;
        long bit = 0;
        if (known != null) {
            key = known.key();
            role = known.role();
            bit = known.bit();
        } else {
            key = unknownKey(line, colon);
            role = key == null || FRAMING_KEYS.contains(key) ? Role.DROP : Role.PLAIN;
            // an allowed underscore spelling of a known name shares its key, and so its bit
            Http1HeaderNames.Name same = role == Role.PLAIN ? Http1HeaderNames.byKey(key) : null;
            bit = same != null ? same.bit() : 0;
        }
        String value = value(line, colon + 1, end);
        switch (role) {
            case CONTENT_LENGTH -> {
                // nginx's answer to both: a list of lengths is no length, and a repeat could differ on a proxy
                if (contentLength != null) {
                    throw bad("more than one Content-Length header field");
                }
                contentLength = value;
            }
            case CONTENT_TYPE -> {
                if (contentType) {
                    throw bad("more than one Content-Type header field");
                }
                contentType = true;
                environ.append(key, value);
            }
            case TRANSFER_ENCODING -> {
                transferEncoding = transferEncoding == null ? value : transferEncoding + "," + value;
                addField(key, bit, value, ", ");
            }
            case HOST -> {
                if (hostCount++ == 0) {
                    host = value;
                    environ.append(key, value);
                }
            }
            case EXPECT -> {
                expect = expect == null ? value : expect + "," + value;
                addField(key, bit, value, ", ");
            }
            case CONNECTION -> {
                connectionTokens = connectionTokens == null ? value : connectionTokens + "," + value;
                addField(key, bit, value, ", ");
            }
            case COOKIE -> addField(key, bit, value, "; ");
            case PLAIN -> addField(key, bit, value, ", ");
            case DROP -> {
            }
        }
    }

    /**
     * The HTTP_* key of a name not in the cache, or null when the name has '_' and underscores are not allowed
     * (it would collide with the '-' spelling: nginx's and gunicorn's default too).
     */
    private String unknownKey(byte[] line, int colon) {
        if (colon == 0) {
            throw bad("header field with an empty name");
        }
        byte[] key = new byte[5 + colon];
        key[0] = 'H';
        key[1] = 'T';
        key[2] = 'T';
        key[3] = 'P';
        key[4] = '_';
        boolean underscore = false;
        for (int i = 0; i < colon; i++) {
            byte b = line[i];
            if (!Http1Constants.isTchar(b)) {
                throw bad(b == SP || b == HTAB ? "whitespace between header field name and colon"
                        : "invalid character in header field name");
            }
            underscore |= b == '_';
            key[5 + i] = b == '-' ? (byte) '_' : (b >= 'a' && b <= 'z') ? (byte) (b - 32) : b;
        }
        return underscore && !allowUnderscore ? null : new String(key, StandardCharsets.ISO_8859_1);
    }

    private static String value(byte[] line, int start, int end) {
        while (start < end && isOws(line[start])) {
            start++;
        }
        while (end > start && isOws(line[end - 1])) {
            end--;
        }
        for (int i = start; i < end; i++) {
            if (Http1Constants.isInvalidFieldByte(line[i])) {
                throw bad("control character in header field value");
            }
        }
        return start == end ? "" : new String(line, start, end - start, StandardCharsets.ISO_8859_1);
    }

    /** Adds a field, joining a repeat to the earlier value; {@code bit} marks a known name (0 for others). */
    private void addField(String key, long bit, String value, String separator) {
        if (bit != 0 && (seen & bit) == 0) {
            seen |= bit;
            environ.append(key, value);
            return;
        }
        String previous = environ.get(key);
        if (previous == null) {
            environ.append(key, value);
        } else {
            environ.put(key, previous + separator + value);
        }
    }

    /**
     * Validates the head as a whole and returns it with its body framing; the builder then starts afresh. The
     * framing fields come first: once they are sound, a head refused for anything else can still have its body
     * read and dropped, so the client gets the answer rather than a reset.
     */
    EnvironHead build() {
        long length = 0;
        if (transferEncoding != null) {
            if (!http11) {
                throw bad("Transfer-Encoding in an HTTP/1.0 request");
            }
            if (contentLength != null) {
                throw bad("both Content-Length and Transfer-Encoding");
            }
            Http1Framing.checkTransferCoding(transferEncoding);
            chunked = true;
            length = EnvironHead.UNKNOWN_LENGTH;
        } else if (contentLength != null) {
            length = Http1Framing.parseContentLength(contentLength);
            environ.append(EnvironKeys.CONTENT_LENGTH, Long.toString(length));
        }
        drain = length;
        if (http11 && hostCount == 0) {
            throw bad("HTTP/1.1 request without Host");
        }
        if (hostCount > 1) {
            throw bad("more than one Host header field");
        }
        if (host != null && !connection.isValidHost(host)) {
            throw bad("invalid Host header field");
        }
        if (authority != null) {
            host = authority;
            environ.put(EnvironKeys.HTTP_HOST, authority);
        }
        if (maxBodySize > 0 && length > maxBodySize) {
            throw new ProtocolException(Fault.PAYLOAD_TOO_LARGE, "Content-Length " + length + " exceeds max-body-size "
                    + maxBodySize);
        }
        boolean expectContinue = false;
        if (expect != null && http11) {
            Http1Framing.checkExpectation(expect);
            expectContinue = chunked || length > 0;
        }
        connection.fill(environ, host);
        EnvironHead head = new EnvironHead(environ, 0, length, Http1Framing.keepAlive(http11, connectionTokens))
                .expectContinue(expectContinue);
        environ = null;
        drain = 0;
        return head;
    }

    /**
     * For a refused head: the length of the body that follows it (-1 when chunked), or 0 when there is none or the
     * head was refused before its framing was known to be sound (then nothing after it can be trusted).
     */
    long drain() {
        return drain;
    }

    /** True when the head just built has a chunked body. */
    boolean chunked() {
        return chunked;
    }

    private static boolean isOws(byte b) {
        return b == SP || b == HTAB;
    }

    static ProtocolException bad(String detail) {
        return new ProtocolException(Fault.BAD_REQUEST, detail);
    }
}
