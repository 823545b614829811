package io.gatehouse.protocol.ajp;

import io.gatehouse.app.Environ;
import io.gatehouse.app.EnvironKeys;
import io.gatehouse.spi.exchange.EnvironHead;
import io.gatehouse.spi.exchange.Fault;
import io.gatehouse.spi.exchange.ProtocolException;
import io.gatehouse.spi.protocol.CgiVars;

/**
 * Turns the payload of a FORWARD_REQUEST packet into an environ, computing the CGI variables the way an HTTP
 * listener would: REQUEST_URI as sent (mod_jk and mod_proxy_ajp send the path percent-encoded, the query apart),
 * PATH_INFO percent-decoded byte for byte and without dot segments, HTTP_* from the headers, CONTENT_LENGTH and the
 * body framing. The attributes after the headers are left to {@link AjpAttributes}. One per connection, reused for
 * each request.
 */
final class AjpForwardRequest {
    private final AjpOptions options;
    private final String peer;
    private Environ environ;
    private String contentLength;
    private String transferEncoding;
    private boolean bodyFollows;

    AjpForwardRequest(AjpOptions options, String peer) {
        this.options = options;
        this.peer = peer;
    }

    /** What was decoded so far, for a failed head. */
    Environ partial() {
        return environ != null ? environ : new Environ(4);
    }

    /**
     * For a refused request: true unless its headers were read and announced no Content-Length, so that a body
     * packet may be on its way (the web server sends the first one unasked) and the connection must linger.
     */
    boolean bodyMayFollow() {
        return bodyFollows;
    }

    /** Decodes the payload after the prefix code; throws a {@link ProtocolException} for a request to refuse. */
    EnvironHead decode(AjpPayload p) {
        environ = new Environ(40);
        contentLength = null;
        transferEncoding = null;
        bodyFollows = true;
        int methodCode = p.u8("method");
        String protocol = p.requiredString("protocol");
        String uri = p.requiredString("req_uri");
        String remoteAddr = p.string("remote_addr");
        String remoteHost = p.string("remote_host");
        String serverName = p.string("server_name");
        int serverPort = p.u16("server_port");
        int isSsl = p.u8("is_ssl");
        if (isSsl > 1) {
            throw AjpPayload.malformed("is_ssl is " + isSsl + ", not a boolean");
        }
        String method = methodCode == AjpConstants.STORED_METHOD_CODE ? null : methodName(methodCode);
        environ.append(EnvironKeys.SERVER_PROTOCOL, protocol);
        fillTarget(uri);
        decodeHeaders(p);
        bodyFollows = contentLength != null && !contentLength.trim().equals("0");
        AjpAttributes attributes = AjpAttributes.decode(p, options);
        attributes.checkSecret(options.secret());
        if (attributes.storedMethod() != null) {
            method = attributes.storedMethod();
        } else if (method == null) {
            throw AjpPayload.malformed("method code 0xFF without a stored_method attribute");
        }
        checkToken(method, "stored method");
        environ.put(EnvironKeys.REQUEST_METHOD, method);
        String query = attributes.queryString();
        environ.put(EnvironKeys.QUERY_STRING, query == null ? "" : query);
        if (query != null) {
            environ.put(EnvironKeys.REQUEST_URI, uri + "?" + query);
        }
        environ.put(EnvironKeys.SERVER_NAME, serverName != null ? serverName : hostName());
        environ.put(EnvironKeys.SERVER_PORT, Integer.toString(serverPort));
        environ.put(EnvironKeys.REMOTE_ADDR, remoteAddr != null ? remoteAddr : "");
        if (remoteHost != null && !remoteHost.isEmpty() && !remoteHost.equals(remoteAddr)) {
            environ.put("REMOTE_HOST", remoteHost);
        }
        environ.put(EnvironKeys.GATEWAY_INTERFACE, "CGI/1.1");
        environ.put(EnvironKeys.SERVER_SOFTWARE, EnvironKeys.SOFTWARE);
        if (isSsl == 1) {
            environ.put(EnvironKeys.HTTPS, "on");
        }
        environ.put(EnvironKeys.WSGI_URL_SCHEME, isSsl == 1 ? "https" : "http");
        attributes.fill(environ, isSsl == 1);
        environ.put(AjpProtocol.PEER_KEY, peer);
        return new EnvironHead(environ, 0, bodyLength(), true);
    }

    private static String methodName(int code) {
        if (code <= 0 || code >= AjpConstants.METHODS.length) {
            throw new ProtocolException(Fault.NOT_IMPLEMENTED, "unknown method code " + code);
        }
        return AjpConstants.METHODS[code];
    }

    private void fillTarget(String uri) {
        if (uri.isEmpty() || (uri.charAt(0) != '/' && !uri.equals("*"))) {
            throw new ProtocolException(Fault.BAD_REQUEST, "req_uri '" + uri + "' is not a path");
        }
        for (int i = 0; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c <= 0x20 || c == 0x7f) {
                throw new ProtocolException(Fault.BAD_REQUEST, "invalid character in req_uri");
            }
        }
        environ.append(EnvironKeys.REQUEST_URI, uri);
        environ.append(EnvironKeys.SCRIPT_NAME, "");
        environ.append(EnvironKeys.PATH_INFO, CgiVars.decodeRequestPath(uri));
    }

    private void decodeHeaders(AjpPayload p) {
        int count = p.u16("num_headers");
        if (count > options.maxHeaders()) {
            throw new ProtocolException(Fault.HEADERS_TOO_LARGE, count + " header fields exceed max-headers "
                    + options.maxHeaders());
        }
        for (int i = 0; i < count; i++) {
            String key;
            int first = p.peekU16("header name");
            if (first >> 8 == AjpConstants.CODED_HEADER) {
                p.u16("header name");
                int code = first & 0xff;
                if (code == 0 || code >= AjpConstants.REQUEST_HEADER_KEYS.length) {
                    throw AjpPayload.malformed(String.format("unknown header code 0x%04X", first));
                }
                key = AjpConstants.REQUEST_HEADER_KEYS[code];
            } else {
                key = headerKey(p.requiredString("header name"));
            }
            String value = p.requiredString("header value");
            for (int j = 0; j < value.length(); j++) {
                char c = value.charAt(j);
                if ((c < 0x20 && c != '\t') || c == 0x7f) {
                    throw new ProtocolException(Fault.BAD_REQUEST, "control character in header field value");
                }
            }
            if (key != null) {
                record(key, value);
            }
        }
    }

    /** HTTP_ and the name upper-cased with '-' as '_'; null when dropped for an underscore. */
    private String headerKey(String name) {
        checkToken(name, "header field name");
        if (name.indexOf('_') >= 0 && !options.allowUnderscoreHeaders()) {
            return null;
        }
        char[] key = new char[5 + name.length()];
        "HTTP_".getChars(0, 5, key, 0);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            key[5 + i] = c == '-' ? '_' : (c >= 'a' && c <= 'z') ? (char) (c - 32) : c;
        }
        String k = new String(key);
        return switch (k) {
            case "HTTP_CONTENT_TYPE" -> EnvironKeys.CONTENT_TYPE;
            case "HTTP_CONTENT_LENGTH" -> EnvironKeys.CONTENT_LENGTH;
            default -> k;
        };
    }

    private void record(String key, String value) {
        if (key.equals(EnvironKeys.CONTENT_LENGTH)) {
            contentLength = contentLength == null ? value : contentLength + "," + value;
            return;
        }
        if (key.equals("HTTP_TRANSFER_ENCODING")) {
            transferEncoding = transferEncoding == null ? value : transferEncoding + ", " + value;
        }
        String previous = environ.get(key);
        if (previous != null && key.equals(EnvironKeys.HTTP_HOST)) {
            throw new ProtocolException(Fault.BAD_REQUEST, "more than one Host header field");
        }
        if (previous == null) {
            environ.append(key, value);
        } else {
            environ.put(key, previous + (key.equals("HTTP_COOKIE") ? "; " : ", ") + value);
        }
    }

    /** Body framing from the headers: a Content-Length, chunked (length unknown), or none. */
    private long bodyLength() {
        if (transferEncoding != null) {
            if (contentLength != null) {
                throw new ProtocolException(Fault.BAD_REQUEST, "both Content-Length and Transfer-Encoding");
            }
            if (!transferEncoding.trim().equalsIgnoreCase("chunked")) {
                throw new ProtocolException(Fault.NOT_IMPLEMENTED, "unsupported transfer coding '"
                        + transferEncoding + "'");
            }
            return EnvironHead.UNKNOWN_LENGTH;
        }
        if (contentLength == null) {
            return 0;
        }
        long length = parseContentLength(contentLength);
        environ.put(EnvironKeys.CONTENT_LENGTH, Long.toString(length));
        long max = options.maxBodySize().bytes();
        if (max > 0 && length > max) {
            throw new ProtocolException(Fault.PAYLOAD_TOO_LARGE, "Content-Length " + length
                    + " exceeds max-body-size " + max);
        }
        return length;
    }

    /** One value, or a list of identical values (RFC 9110 8.6); anything else is refused. */
    private static long parseContentLength(String raw) {
        long result = -1;
        for (String part : raw.split(",", -1)) {
            String v = part.trim();
            if (v.isEmpty() || v.length() > 18 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new ProtocolException(Fault.BAD_REQUEST, "invalid Content-Length '" + raw + "'");
            }
            long n = Long.parseLong(v);
            if (result >= 0 && n != result) {
                throw new ProtocolException(Fault.BAD_REQUEST, "conflicting Content-Length values '" + raw + "'");
            }
            result = n;
        }
        return result;
    }

    private String hostName() {
        String host = environ.get(EnvironKeys.HTTP_HOST);
        if (host == null || host.isEmpty()) {
            return "";
        }
        int colon = host.lastIndexOf(':');
        return colon > host.lastIndexOf(']') ? host.substring(0, colon) : host;
    }

    /** A method or field name must be an RFC 9110 token. */
    private static void checkToken(String s, String what) {
        if (s.isEmpty()) {
            throw new ProtocolException(Fault.BAD_REQUEST, "empty " + what);
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean tchar = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!tchar) {
                throw new ProtocolException(Fault.BAD_REQUEST, "invalid character in " + what);
            }
        }
    }
}
