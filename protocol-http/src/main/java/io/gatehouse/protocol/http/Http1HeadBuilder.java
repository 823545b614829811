package io.gatehouse.protocol.http;

import static io.gatehouse.protocol.http.Http1Constants.COLON;
import static io.gatehouse.protocol.http.Http1Constants.HTAB;
import static io.gatehouse.protocol.http.Http1Constants.SP;

import io.gatehouse.app.Environ;
import io.gatehouse.app.EnvironKeys;
import io.gatehouse.core.exchange.EnvironHead;
import io.gatehouse.core.exchange.Fault;
import io.gatehouse.core.exchange.ProtocolException;
import io.gatehouse.protocol.http.Http1HeaderNames.Role;
import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Builds one request's environ from its request line and field lines, straight from the decoder's buffer, then
 * applies the message rules of RFC 9112: Host (3.2), body framing (6: Content-Length against Transfer-Encoding,
 * which request smuggling plays on), Expect (RFC 9110 10.1.1) and persistence (9.3).
 */
final class Http1HeadBuilder {
    private static final ByteProcessor VALID_VALUE_BYTE = b -> !Http1Constants.isInvalidFieldByte(b);
    /** Keys that only an underscore spelling of a field we interpret reaches here with: never passed on. */
    private static final Set<String> FRAMING_KEYS = Set.of("HTTP_CONTENT_LENGTH", "HTTP_CONTENT_TYPE",
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
    private boolean contentType;
    private boolean chunked;

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

    /** Parses {@code method SP request-target SP HTTP-version} from bytes [start, end), line ending excluded. */
    void requestLine(ByteBuf in, int start, int end) {
        environ = new Environ();
        authority = contentLength = transferEncoding = host = expect = connectionTokens = null;
        hostCount = headerCount = 0;
        contentType = chunked = false;
        int sp1 = start;
        while (sp1 < end && Http1Constants.isTchar(in.getByte(sp1))) {
            sp1++;
        }
        if (sp1 < end && in.getByte(sp1) != SP) {
            throw bad("invalid character in method");
        }
        int sp2 = end - 9;
        if (sp1 == start || sp2 <= sp1 + 1 || in.getByte(sp2) != SP) {
            throw bad("malformed request line");
        }
        String version = version(in, sp2 + 1);
        method = Http1Constants.method(in, start, sp1 - start);
        if (method.equals("CONNECT")) {
            throw new ProtocolException(Fault.NOT_IMPLEMENTED, "CONNECT is not supported");
        }
        for (int i = sp1 + 1; i < sp2; i++) {
            byte b = in.getByte(i);
            if ((b >= 0 && b <= SP) || b == 0x7f) {
                throw bad("invalid character in request target");
            }
        }
        environ.append(EnvironKeys.REQUEST_METHOD, method);
        environ.append(EnvironKeys.SERVER_PROTOCOL, version);
        authority = Http1Target.fill(environ, in.toString(sp1 + 1, sp2 - sp1 - 1, StandardCharsets.ISO_8859_1), method);
    }

    /** {@code HTTP/DIGIT.DIGIT} (RFC 9112 2.3): 1.0 and 1.1; a later 1.x is served as 1.1 (RFC 9110 6.2). */
    private String version(ByteBuf in, int at) {
        byte major = in.getByte(at + 5);
        byte minor = in.getByte(at + 7);
        if (in.getByte(at) != 'H' || in.getByte(at + 1) != 'T' || in.getByte(at + 2) != 'T'
                || in.getByte(at + 3) != 'P' || in.getByte(at + 4) != '/' || in.getByte(at + 6) != '.'
                || major < '0' || major > '9' || minor < '0' || minor > '9') {
            throw bad("malformed HTTP version");
        }
        if (major != '1') {
            throw new ProtocolException(Fault.VERSION_NOT_SUPPORTED, "unsupported version HTTP/" + (char) major
                    + "." + (char) minor);
        }
        http11 = minor != '0';
        return minor == '0' ? Http1Constants.HTTP_1_0 : minor == '1' ? Http1Constants.HTTP_1_1
                : in.toString(at, 8, StandardCharsets.US_ASCII);
    }

    /** Parses one {@code field-name ":" OWS field-value OWS} line from bytes [start, end), line ending excluded. */
    void header(ByteBuf in, int start, int end) {
        if (++headerCount > maxHeaders) {
            throw new ProtocolException(Fault.HEADERS_TOO_LARGE, "more than max-headers " + maxHeaders
                    + " header fields");
        }
        byte first = in.getByte(start);
        if (first == SP || first == HTAB) {
            throw bad("obsolete line folding or whitespace before a header field");
        }
        int colon = in.indexOf(start, end, COLON);
        if (colon < 0) {
            throw bad("header line without a colon");
        }
        Http1HeaderNames.Name known = colon > start ? Http1HeaderNames.find(in, start, colon) : null;
        String key;
        Role role;
        if (known != null) {
            key = known.key();
            role = known.role();
        } else {
            key = unknownKey(in, start, colon);
            role = key == null || FRAMING_KEYS.contains(key) ? Role.DROP : Role.PLAIN;
        }
        String value = value(in, colon + 1, end);
        switch (role) {
            case CONTENT_LENGTH -> contentLength = contentLength == null ? value : contentLength + "," + value;
            case CONTENT_TYPE -> {
                if (contentType) {
                    throw bad("more than one Content-Type header field");
                }
                contentType = true;
                environ.append(key, value);
            }
            case TRANSFER_ENCODING -> {
                transferEncoding = transferEncoding == null ? value : transferEncoding + "," + value;
                addField(key, value, ", ");
            }
            case HOST -> {
                if (hostCount++ == 0) {
                    host = value;
                    environ.append(key, value);
                }
            }
            case EXPECT -> {
                expect = expect == null ? value : expect + "," + value;
                addField(key, value, ", ");
            }
            case CONNECTION -> {
                connectionTokens = connectionTokens == null ? value : connectionTokens + "," + value;
                addField(key, value, ", ");
            }
            case COOKIE -> addField(key, value, "; ");
            case PLAIN -> addField(key, value, ", ");
            case DROP -> {
            }
        }
    }

    /**
     * The HTTP_* key of a name not in the cache, or null when the name has '_' and underscores are not allowed
     * (it would collide with the '-' spelling: nginx's and gunicorn's default too).
     */
    private String unknownKey(ByteBuf in, int start, int colon) {
        if (colon == start) {
            throw bad("header field with an empty name");
        }
        char[] key = new char[5 + colon - start];
        "HTTP_".getChars(0, 5, key, 0);
        boolean underscore = false;
        for (int i = start; i < colon; i++) {
            byte b = in.getByte(i);
            if (!Http1Constants.isTchar(b)) {
                throw bad(b == SP || b == HTAB ? "whitespace between header field name and colon"
                        : "invalid character in header field name");
            }
            underscore |= b == '_';
            key[5 + i - start] = b == '-' ? '_' : (b >= 'a' && b <= 'z') ? (char) (b - 32) : (char) b;
        }
        return underscore && !allowUnderscore ? null : new String(key);
    }

    private static String value(ByteBuf in, int start, int end) {
        while (start < end && isOws(in.getByte(start))) {
            start++;
        }
        while (end > start && isOws(in.getByte(end - 1))) {
            end--;
        }
        if (start == end) {
            return "";
        }
        if (in.forEachByte(start, end - start, VALID_VALUE_BYTE) >= 0) {
            throw bad("control character in header field value");
        }
        return in.toString(start, end - start, StandardCharsets.ISO_8859_1);
    }

    private void addField(String key, String value, String separator) {
        String previous = environ.get(key);
        if (previous == null) {
            environ.append(key, value);
        } else {
            environ.put(key, previous + separator + value);
        }
    }

    /** Validates the head as a whole and returns it with its body framing; the builder then starts afresh. */
    EnvironHead build() {
        if (http11 && hostCount == 0) {
            throw bad("HTTP/1.1 request without Host");
        }
        if (hostCount > 1) {
            throw bad("more than one Host header field");
        }
        if (host != null && !Http1Target.isValidHost(host)) {
            throw bad("invalid Host header field");
        }
        if (authority != null) {
            host = authority;
            environ.put(EnvironKeys.HTTP_HOST, authority);
        }
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
        return head;
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
