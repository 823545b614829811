package io.gatehouse.protocol.fastcgi;

import io.gatehouse.app.Environ;
import io.gatehouse.app.EnvironKeys;
import io.gatehouse.core.exchange.EnvironHead;
import io.gatehouse.core.exchange.Fault;
import io.gatehouse.core.exchange.ProtocolException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Locale;

/**
 * Completes the CGI variables a web server sent as PARAMS into a WSGI environ: what it gave is kept as given, and
 * only what PEP 3333 requires and it left out is filled in, from REQUEST_URI, HTTP_HOST or the connection. Also
 * sets {@code wsgi.url_scheme} from HTTPS or REQUEST_SCHEME. One per connection: the addresses are computed once.
 */
final class FcgiEnviron {
    private final String peerAddr;
    private final String localAddr;
    private final String localPort;

    FcgiEnviron(SocketAddress remote, SocketAddress local) {
        peerAddr = remote instanceof InetSocketAddress r ? hostAddress(r) : "";
        if (local instanceof InetSocketAddress l) {
            localAddr = hostAddress(l);
            localPort = Integer.toString(l.getPort());
        } else {
            localAddr = "localhost";
            localPort = null;
        }
    }

    /** Fills the missing keys of {@code env}. */
    void complete(Environ env) {
        env.putIfAbsent(EnvironKeys.REQUEST_METHOD, "GET");
        String uri = env.get(EnvironKeys.REQUEST_URI);
        int query = uri == null ? -1 : uri.indexOf('?');
        if (!env.contains(EnvironKeys.SCRIPT_NAME) && !env.contains(EnvironKeys.PATH_INFO)) {
            String path = uri == null ? "" : query >= 0 ? uri.substring(0, query) : uri;
            env.append(EnvironKeys.SCRIPT_NAME, "");
            env.append(EnvironKeys.PATH_INFO, percentDecode(path));
        } else {
            env.putIfAbsent(EnvironKeys.SCRIPT_NAME, "");
            env.putIfAbsent(EnvironKeys.PATH_INFO, "");
        }
        env.putIfAbsent(EnvironKeys.QUERY_STRING, query >= 0 ? uri.substring(query + 1) : "");
        env.putIfAbsent(EnvironKeys.SERVER_PROTOCOL, "HTTP/1.1");
        boolean https = isHttps(env);
        if (!env.contains(EnvironKeys.SERVER_NAME) || !env.contains(EnvironKeys.SERVER_PORT)) {
            fillServer(env, https);
        }
        env.putIfAbsent(EnvironKeys.REMOTE_ADDR, peerAddr);
        env.putIfAbsent(EnvironKeys.GATEWAY_INTERFACE, "CGI/1.1");
        env.putIfAbsent(EnvironKeys.WSGI_URL_SCHEME, https ? "https" : "http");
    }

    private void fillServer(Environ env, boolean https) {
        String host = env.get(EnvironKeys.HTTP_HOST);
        String name = localAddr;
        String port = localPort;
        if (host != null && !host.isEmpty()) {
            int colon = host.lastIndexOf(':');
            int bracket = host.indexOf(']');
            if (colon > 0 && colon > bracket) {
                name = host.substring(0, colon);
                port = host.substring(colon + 1);
            } else {
                name = host;
                port = null;
            }
        }
        env.putIfAbsent(EnvironKeys.SERVER_NAME, name);
        env.putIfAbsent(EnvironKeys.SERVER_PORT, port != null ? port : https ? "443" : "80");
    }

    /** HTTPS "on" (any case, or "1"), as nginx and Apache send it, or REQUEST_SCHEME "https". */
    static boolean isHttps(Environ env) {
        String https = env.get(EnvironKeys.HTTPS);
        if (https != null) {
            String v = https.toLowerCase(Locale.ROOT);
            if (v.equals("on") || v.equals("1") || v.equals("yes") || v.equals("true")) {
                return true;
            }
        }
        return "https".equalsIgnoreCase(env.get("REQUEST_SCHEME"));
    }

    /** Decodes %XX escapes into the bytes they stand for (as ISO-8859-1 chars); a broken escape stays as is. */
    static String percentDecode(String s) {
        int pct = s.indexOf('%');
        if (pct < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        out.append(s, 0, pct);
        for (int i = pct; i < s.length(); i++) {
            char c = s.charAt(i);
            int hi;
            int lo;
            if (c == '%' && i + 2 < s.length() && (hi = Character.digit(s.charAt(i + 1), 16)) >= 0
                    && (lo = Character.digit(s.charAt(i + 2), 16)) >= 0) {
                out.append((char) (hi << 4 | lo));
                i += 2;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** CONTENT_LENGTH as given: absent or empty means unknown (the body ends with an empty STDIN record). */
    static long contentLength(String value) {
        if (value == null || value.isEmpty()) {
            return EnvironHead.UNKNOWN_LENGTH;
        }
        if (value.length() > 18) {
            throw new ProtocolException(Fault.BAD_REQUEST, "CONTENT_LENGTH '" + value + "' is too long");
        }
        long n = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                throw new ProtocolException(Fault.BAD_REQUEST, "CONTENT_LENGTH '" + value + "' is not a number");
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    private static String hostAddress(InetSocketAddress a) {
        return a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
    }
}
