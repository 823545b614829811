package io.gatehouse.protocol.http;

import io.gatehouse.app.Environ;
import io.gatehouse.app.EnvironKeys;
import io.gatehouse.spi.exchange.EnvironHead;
import io.gatehouse.spi.exchange.Fault;
import io.gatehouse.spi.exchange.ProtocolException;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import java.util.Map;

/**
 * Builds the environ of an HTTP/2 request (RFC 9113 8.3) the way {@link Http1HeadBuilder} builds an HTTP/1.1 one, so
 * an app cannot tell them apart but by {@code SERVER_PROTOCOL=HTTP/2}: {@code :method}, {@code :path} (split and
 * decoded as a request target), {@code :authority} as {@code HTTP_HOST}, cookie crumbs joined with "; ", other
 * repeated fields with ", ", the same names dropped (underscores, Proxy) and the same limits (max-headers,
 * max-body-size for a declared Content-Length). Netty's decoder has already refused what HTTP/2 itself forbids
 * (upper-case names, connection-specific fields, misplaced pseudo-header fields).
 */
final class Http2HeadBuilder {
    static final String HTTP_2 = "HTTP/2";
    private static final AsciiString COOKIE = AsciiString.cached("cookie");

    private final Http1Connection connection;
    private final int maxHeaders;
    private final long maxBodySize;
    private final boolean allowUnderscore;

    Http2HeadBuilder(Http1Options options, Http1Connection connection) {
        this.connection = connection;
        this.maxHeaders = options.maxHeaders();
        this.maxBodySize = options.maxBodySize().bytes();
        this.allowUnderscore = options.allowUnderscoreHeaders();
    }

    /** The head of stream {@code streamId}: a good one, or a failed one the listener answers with its status. */
    EnvironHead build(int streamId, Http2Headers headers, boolean endStream) {
        Environ env = new Environ();
        try {
            return build(env, streamId, headers, endStream);
        } catch (ProtocolException e) {
            return EnvironHead.failed(env, streamId, e);
        }
    }

    private EnvironHead build(Environ env, int streamId, Http2Headers headers, boolean endStream) {
        CharSequence method = headers.method();
        CharSequence path = headers.path();
        if (method == null || method.length() == 0) {
            throw Http1HeadBuilder.bad("request without :method");
        }
        String m = method.toString();
        if (m.equals("CONNECT")) {
            throw new ProtocolException(Fault.NOT_IMPLEMENTED, "CONNECT is not supported");
        }
        if (path == null || path.length() == 0 || headers.scheme() == null) {
            throw Http1HeadBuilder.bad("request without :path or :scheme");
        }
        String target = path.toString();
        checkValue(target);
        if (target.charAt(0) != '/' && !target.equals("*")) {
            throw Http1HeadBuilder.bad(":path is neither a path nor *");
        }
        env.append(EnvironKeys.REQUEST_METHOD, m);
        env.append(EnvironKeys.SERVER_PROTOCOL, HTTP_2);
        Http1Target.fill(env, target, m);
        String contentLength = fields(env, headers);
        CharSequence authority = headers.authority();
        String hostField = env.get(EnvironKeys.HTTP_HOST);
        String host = authority != null ? authority.toString() : hostField;
        if (authority != null && hostField != null && !hostField.equalsIgnoreCase(host)) {
            throw Http1HeadBuilder.bad("host field differs from :authority");
        }
        if (host != null) {
            if (!connection.isValidHost(host)) {
                throw Http1HeadBuilder.bad("invalid :authority or host");
            }
            env.put(EnvironKeys.HTTP_HOST, host);
        }
        long length = endStream ? 0 : EnvironHead.UNKNOWN_LENGTH;
        if (contentLength != null) {
            long declared = Http1Framing.parseContentLength(contentLength);
            env.append(EnvironKeys.CONTENT_LENGTH, Long.toString(declared));
            if (!endStream) {
                length = declared;
            } else if (declared != 0) {
                throw Http1HeadBuilder.bad("content-length " + declared + " on a request without a body");
            }
            if (maxBodySize > 0 && declared > maxBodySize) {
                throw new ProtocolException(Fault.PAYLOAD_TOO_LARGE, "content-length " + declared
                        + " exceeds max-body-size " + maxBodySize);
            }
        }
        connection.fill(env, host);
        return new EnvironHead(env, streamId, length, true)
                .expectContinue(!endStream && hasContinue(headers.get("expect")));
    }

    /** Adds the regular fields; returns the content-length value(s), joined, or null. */
    private String fields(Environ env, Http2Headers headers) {
        int count = 0;
        String contentLength = null;
        boolean contentType = false;
        for (Map.Entry<CharSequence, CharSequence> field : headers) {
            CharSequence name = field.getKey();
            if (name.length() > 0 && name.charAt(0) == ':') {
                continue;
            }
            if (++count > maxHeaders) {
                throw new ProtocolException(Fault.HEADERS_TOO_LARGE, "more than max-headers " + maxHeaders
                        + " header fields");
            }
            String value = field.getValue().toString();
            checkValue(value);
            String key = key(name);
            Http1HeaderNames.Name known = Http1HeaderNames.byKey(key);
            Http1HeaderNames.Role role = known != null ? known.role() : Http1HeaderNames.Role.PLAIN;
            if (key == null || role == Http1HeaderNames.Role.DROP) {
                continue;
            }
            switch (role) {
                case CONTENT_LENGTH -> contentLength = contentLength == null ? value : contentLength + "," + value;
                case CONTENT_TYPE -> {
                    if (contentType) {
                        throw Http1HeadBuilder.bad("more than one content-type field");
                    }
                    contentType = true;
                    env.append(key, value);
                }
                default -> join(env, key, value, AsciiString.contentEqualsIgnoreCase(name, COOKIE) ? "; " : ", ");
            }
        }
        return contentLength;
    }

    /**
     * The environ key of a field name, or null when it must be dropped: a name with '_' (unless allowed, and then
     * never one the listener interprets, as over HTTP/1.1). HTTP/2 names are lower-case already.
     */
    private String key(CharSequence name) {
        StringBuilder key = new StringBuilder(name.length() + 5).append("HTTP_");
        boolean underscore = false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            underscore |= c == '_';
            key.append(c == '-' ? '_' : Character.toUpperCase(c));
        }
        String k = key.toString();
        if (k.equals("HTTP_CONTENT_LENGTH")) {
            return underscore ? null : EnvironKeys.CONTENT_LENGTH;
        }
        if (k.equals("HTTP_CONTENT_TYPE")) {
            return underscore ? null : EnvironKeys.CONTENT_TYPE;
        }
        if (underscore && (!allowUnderscore || Http1HeadBuilder.FRAMING_KEYS.contains(k))) {
            return null;
        }
        return k;
    }

    private static void join(Environ env, String key, String value, String separator) {
        String previous = env.get(key);
        if (previous == null) {
            env.append(key, value);
        } else {
            env.put(key, previous + separator + value);
        }
    }

    /** RFC 9113 8.2.1: a field value must not hold NUL, CR or LF; other controls are refused as over HTTP/1.1. */
    private static void checkValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c > 0xff || Http1Constants.isInvalidFieldByte((byte) c)) {
                throw Http1HeadBuilder.bad("control character in a header field value");
            }
        }
    }

    private static boolean hasContinue(CharSequence expect) {
        return expect != null && AsciiString.contentEqualsIgnoreCase(expect, "100-continue");
    }
}
