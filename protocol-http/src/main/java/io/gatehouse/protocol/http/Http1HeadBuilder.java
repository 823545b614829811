package io.gatehouse.protocol.http;

import static io.gatehouse.protocol.http.Http1Constants.COLON;
import static io.gatehouse.protocol.http.Http1Constants.HTAB;
import static io.gatehouse.protocol.http.Http1Constants.SP;

import io.gatehouse.app.Environ;
import io.gatehouse.app.EnvironKeys;
import io.gatehouse.core.exchange.EnvironHead;
import io.gatehouse.core.exchange.Fault;
import io.gatehouse.core.exchange.ProtocolException;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Builds one request's environ from its request line and header lines, straight from the decoder's buffer: each
 * header name becomes its HTTP_* key in one pass, each value one string. Then checks the framing rules of RFC 9112
 * section 6 (Content-Length against Transfer-Encoding) and decides keep-alive.
 */
final class Http1HeadBuilder {
    private final Http1Options options;
    private final Http1Connection connection;
    private Environ environ;
    private String method;
    private String version;
    private String contentLength;
    private String transferEncoding;
    private String host;
    private String expect;
    private String connectionHeader;
    private int hostCount;
    private int headerCount;

    Http1HeadBuilder(Http1Options options, Http1Connection connection) {
        this.options = options;
        this.connection = connection;
    }

    /** What was decoded so far, for a failed head's log line. */
    Environ partial() {
        return environ != null ? environ : new Environ(4);
    }

    /** Parses {@code METHOD SP request-target SP HTTP-version} from bytes [start, end) (CRLF excluded). */
    void requestLine(ByteBuf in, int start, int end) {
        environ = new Environ();
        headerCount = 0;
        hostCount = 0;
        contentLength = transferEncoding = host = expect = connectionHeader = null;
        int sp1 = in.indexOf(start, end, SP);
        int sp2 = sp1 < 0 ? -1 : in.indexOf(sp1 + 1, end, SP);
        if (sp1 <= start || sp2 < 0 || sp2 == sp1 + 1) {
            throw bad("malformed request line");
        }
        for (int i = start; i < sp1; i++) {
            if (!Http1Constants.isTchar(in.getByte(i))) {
                throw bad("invalid character in method");
            }
        }
        method = in.toString(start, sp1 - start, StandardCharsets.US_ASCII);
        version = in.toString(sp2 + 1, end - sp2 - 1, StandardCharsets.US_ASCII);
        if (!version.equals(Http1Constants.HTTP_1_1) && !version.equals(Http1Constants.HTTP_1_0)) {
            if (version.startsWith("HTTP/") && version.length() == 8) {
                throw new ProtocolException(Fault.VERSION_NOT_SUPPORTED, "unsupported version " + version);
            }
            throw bad("malformed HTTP version");
        }
        if (method.equals("CONNECT")) {
            throw new ProtocolException(Fault.NOT_IMPLEMENTED, "CONNECT is not supported");
        }
        String target = in.toString(sp1 + 1, sp2 - sp1 - 1, StandardCharsets.ISO_8859_1);
        Http1Target.fill(environ, target, this);
    }

    /** The host named by an absolute-form target, which overrides the Host header (RFC 9112 3.2.2). */
    void targetHost(String authority) {
        host = authority;
    }

    /** Parses one {@code name: value} line from bytes [start, end). */
    void header(ByteBuf in, int start, int end) {
        if (++headerCount > options.maxHeaders()) {
            throw new ProtocolException(Fault.HEADERS_TOO_LARGE, "more than max-headers " + options.maxHeaders()
                    + " header fields");
        }
        byte first = in.getByte(start);
        if (first == SP || first == HTAB) {
            throw bad("obsolete line folding in header field");
        }
        int colon = in.indexOf(start, end, COLON);
        if (colon <= start) {
            throw bad("header line without a field name");
        }
        boolean underscore = false;
        char[] key = new char[5 + colon - start];
        "HTTP_".getChars(0, 5, key, 0);
        for (int i = start; i < colon; i++) {
            byte b = in.getByte(i);
            if (!Http1Constants.isTchar(b)) {
                throw bad("invalid character in header field name");
            }
            char c = (char) b;
            underscore |= c == '_';
            key[5 + i - start] = c == '-' ? '_' : (c >= 'a' && c <= 'z') ? (char) (c - 32) : c;
        }
        int vs = colon + 1;
        int ve = end;
        while (vs < ve && isOws(in.getByte(vs))) {
            vs++;
        }
        while (ve > vs && isOws(in.getByte(ve - 1))) {
            ve--;
        }
        String value = in.toString(vs, ve - vs, StandardCharsets.ISO_8859_1);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                throw bad("control character in header field value");
            }
        }
        String name = new String(key, 0, key.length);
        if (underscore && !options.allowUnderscoreHeaders()) {
            return;
        }
        record(name, value);
    }

    private void record(String key, String value) {
        switch (key) {
            case "HTTP_CONTENT_LENGTH" -> {
                contentLength = contentLength == null ? value : contentLength + "," + value;
                return;
            }
            case "HTTP_CONTENT_TYPE" -> {
                environ.put(EnvironKeys.CONTENT_TYPE, value);
                return;
            }
            case "HTTP_TRANSFER_ENCODING" -> transferEncoding = transferEncoding == null ? value
                    : transferEncoding + ", " + value;
            case "HTTP_HOST" -> {
                hostCount++;
                if (host == null) {
                    host = value;
                }
            }
            case "HTTP_EXPECT" -> expect = value;
            case "HTTP_CONNECTION" -> connectionHeader = connectionHeader == null ? value
                    : connectionHeader + "," + value;
            default -> {
            }
        }
        String previous = environ.get(key);
        if (previous == null) {
            environ.append(key, value);
        } else {
            environ.put(key, previous + (key.equals("HTTP_COOKIE") ? "; " : ", ") + value);
        }
    }

    /** Validates the head as a whole and returns it with its body framing. */
    EnvironHead build() {
        boolean http11 = version.equals(Http1Constants.HTTP_1_1);
        if (http11 && hostCount == 0) {
            throw bad("HTTP/1.1 request without Host");
        }
        if (hostCount > 1) {
            throw bad("more than one Host header field");
        }
        long length = 0;
        boolean chunked = false;
        if (transferEncoding != null) {
            if (contentLength != null) {
                throw bad("both Content-Length and Transfer-Encoding");
            }
            if (!transferEncoding.trim().equalsIgnoreCase("chunked")) {
                throw new ProtocolException(Fault.NOT_IMPLEMENTED, "unsupported transfer coding '"
                        + transferEncoding + "'");
            }
            chunked = true;
            length = EnvironHead.UNKNOWN_LENGTH;
        } else if (contentLength != null) {
            length = parseContentLength(contentLength);
            environ.put(EnvironKeys.CONTENT_LENGTH, Long.toString(length));
        }
        long max = options.maxBodySize().bytes();
        if (max > 0 && length > max) {
            throw new ProtocolException(Fault.PAYLOAD_TOO_LARGE, "Content-Length " + length + " exceeds max-body-size "
                    + max);
        }
        boolean expectContinue = false;
        if (expect != null) {
            if (!expect.equalsIgnoreCase("100-continue")) {
                throw new ProtocolException(Fault.EXPECTATION_FAILED, "unsupported expectation '" + expect + "'");
            }
            expectContinue = http11 && (chunked || length > 0);
        }
        environ.put(EnvironKeys.REQUEST_METHOD, method);
        environ.put(EnvironKeys.SERVER_PROTOCOL, version);
        connection.fill(environ, host);
        boolean keepAlive = keepAlive(http11);
        return new EnvironHead(environ, 0, length, keepAlive).expectContinue(expectContinue);
    }

    /** True when the body is chunked (known once {@link #build} passed). */
    boolean chunked() {
        return transferEncoding != null;
    }

    private boolean keepAlive(boolean http11) {
        if (connectionHeader == null) {
            return http11;
        }
        String tokens = connectionHeader.toLowerCase(Locale.ROOT);
        if (tokens.contains("close")) {
            return false;
        }
        return http11 || tokens.contains("keep-alive");
    }

    /** One value, or a list of identical values (RFC 9110 8.6); anything else is a smuggling attempt. */
    private static long parseContentLength(String raw) {
        long result = -1;
        for (String part : raw.split(",", -1)) {
            String v = part.trim();
            if (v.isEmpty() || v.length() > 18) {
                throw bad("invalid Content-Length '" + raw + "'");
            }
            long n = 0;
            for (int i = 0; i < v.length(); i++) {
                char c = v.charAt(i);
                if (c < '0' || c > '9') {
                    throw bad("invalid Content-Length '" + raw + "'");
                }
                n = n * 10 + (c - '0');
            }
            if (result >= 0 && n != result) {
                throw bad("conflicting Content-Length values '" + raw + "'");
            }
            result = n;
        }
        return result;
    }

    private static boolean isOws(byte b) {
        return b == SP || b == HTAB;
    }

    static ProtocolException bad(String detail) {
        return new ProtocolException(Fault.BAD_REQUEST, detail);
    }
}
