package io.gatehouse.spi.protocol;

import io.gatehouse.app.Environ;
import io.gatehouse.app.EnvironKeys;
import io.gatehouse.spi.exchange.Fault;
import io.gatehouse.spi.exchange.ProtocolException;

/**
 * Completes the variables a front server sent over uwsgi, SCGI or FastCGI into a PEP 3333 environ. The front
 * server's values are kept as given; only what is missing or empty where PEP 3333 forbids it is filled in, so the
 * router can join SCRIPT_NAME and PATH_INFO into the requested path whichever server sent them:
 *
 * <ul>
 *   <li>nginx sends PATH_INFO (uwsgi_params) or only DOCUMENT_URI (scgi_params), no SCRIPT_NAME;</li>
 *   <li>Apache's mod_proxy_uwsgi splits SCRIPT_NAME and PATH_INFO at the ProxyPass prefix, mod_proxy_scgi puts
 *       the whole path in SCRIPT_NAME;</li>
 *   <li>lighttpd splits at the scgi.server prefix.</li>
 * </ul>
 */
public final class CgiVars {
    /** nginx's scgi_params and fastcgi_params carry the decoded path here instead of in PATH_INFO. */
    public static final String DOCUMENT_URI = "DOCUMENT_URI";
    /** uWSGI's explicit scheme variable; it wins over HTTPS and REQUEST_SCHEME, as in uWSGI. */
    public static final String UWSGI_SCHEME = "UWSGI_SCHEME";
    /** The scheme variable nginx, Apache and lighttpd send. */
    public static final String REQUEST_SCHEME = "REQUEST_SCHEME";

    private static final String HTTP_TRANSFER_ENCODING = "HTTP_TRANSFER_ENCODING";
    private static final int MAX_LENGTH_DIGITS = 18;

    private CgiVars() {
    }

    /**
     * The body length a CONTENT_LENGTH value declares: 0 when absent or empty (RFC 3875 4.1.2), else its decimal
     * value.
     *
     * @throws ProtocolException (400) when the value is not a decimal number
     */
    public static long contentLength(String value) {
        if (value == null || value.isEmpty()) {
            return 0;
        }
        if (value.length() > MAX_LENGTH_DIGITS) {
            throw new ProtocolException(Fault.BAD_REQUEST, "CONTENT_LENGTH '" + value + "' is too large");
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

    /**
     * Fills in what PEP 3333 requires and the front server left out, in place:
     * SCRIPT_NAME (""), PATH_INFO (from DOCUMENT_URI or REQUEST_URI, minus SCRIPT_NAME), QUERY_STRING (from
     * REQUEST_URI, else ""), SERVER_PROTOCOL, SERVER_NAME and SERVER_PORT (from HTTP_HOST), and wsgi.url_scheme.
     * A PATH_INFO that repeats SCRIPT_NAME although it is the whole requested path (nginx with
     * {@code uwsgi_param SCRIPT_NAME /app}) loses the repeat. HTTP_TRANSFER_ENCODING is dropped when the body is
     * framed by CONTENT_LENGTH: the front server has removed the chunked coding, and an app that saw the header
     * (Werkzeug does) would ignore CONTENT_LENGTH and read nothing.
     *
     * @throws ProtocolException (400) when REQUEST_METHOD is missing or empty
     */
    public static void complete(Environ env) {
        String method = env.get(EnvironKeys.REQUEST_METHOD);
        if (method == null || method.isEmpty()) {
            throw new ProtocolException(Fault.BAD_REQUEST, "missing REQUEST_METHOD");
        }
        String script = env.get(EnvironKeys.SCRIPT_NAME);
        String pathInfo = env.get(EnvironKeys.PATH_INFO);
        if (pathInfo == null) {
            pathInfo = withoutPrefix(fullPath(env), script);
            env.put(EnvironKeys.PATH_INFO, pathInfo);
        } else if (repeatsScriptName(pathInfo, script) && pathInfo.equals(fullPath(env))) {
            env.put(EnvironKeys.PATH_INFO, pathInfo.substring(script.length()));
        }
        if (script == null) {
            env.put(EnvironKeys.SCRIPT_NAME, "");
        } else if (script.endsWith("/") && env.get(EnvironKeys.PATH_INFO).startsWith("/")) {
            // SCRIPT_NAME "/" (or "/app/") before PATH_INFO "/x" would join to "//x"
            env.put(EnvironKeys.SCRIPT_NAME, script.substring(0, script.length() - 1));
        }
        if (env.get(EnvironKeys.QUERY_STRING) == null) {
            String uri = env.get(EnvironKeys.REQUEST_URI);
            int q = uri == null ? -1 : uri.indexOf('?');
            env.put(EnvironKeys.QUERY_STRING, q < 0 ? "" : uri.substring(q + 1));
        }
        if (isEmpty(env.get(EnvironKeys.SERVER_PROTOCOL))) {
            env.put(EnvironKeys.SERVER_PROTOCOL, "HTTP/1.1");
        }
        String scheme = urlScheme(env);
        env.put(EnvironKeys.WSGI_URL_SCHEME, scheme);
        fillServer(env, scheme);
        String length = env.get(EnvironKeys.CONTENT_LENGTH);
        if (length != null && !length.isEmpty() && env.get(HTTP_TRANSFER_ENCODING) != null) {
            env.remove(HTTP_TRANSFER_ENCODING);
        }
    }

    /**
     * The request's scheme as uWSGI decides it: UWSGI_SCHEME when set, else "https" when HTTPS is "on", "1" or
     * "true" (any case), else "https" when REQUEST_SCHEME says so, else "http".
     */
    public static String urlScheme(Environ env) {
        String explicit = env.get(UWSGI_SCHEME);
        if (!isEmpty(explicit)) {
            return explicit;
        }
        String https = env.get(EnvironKeys.HTTPS);
        if (https != null && (https.equalsIgnoreCase("on") || https.equals("1") || https.equalsIgnoreCase("true"))) {
            return "https";
        }
        return "https".equalsIgnoreCase(env.get(REQUEST_SCHEME)) ? "https" : "http";
    }

    /**
     * Percent-decodes a URI path byte for byte into a native string (each byte one ISO-8859-1 char), as front
     * servers decode PATH_INFO; '+' stays '+'. A '%' not followed by two hex digits stays as it is: the front server
     * accepted the URI, so this is lenient where a parser of raw requests would refuse.
     */
    public static String decodePath(String raw) {
        return decode(raw, false);
    }

    /**
     * Percent-decodes the path of a request this server parses itself (HTTP, AJP), as {@link #decodePath} does, but
     * refuses a malformed escape and an escaped NUL (no app path has one, and file-system code would truncate at it).
     *
     * @throws ProtocolException 400 naming the fault
     */
    public static String decodeRequestPath(String raw) {
        return decode(raw, true);
    }

    private static String decode(String raw, boolean strict) {
        int first = raw.indexOf('%');
        if (first < 0) {
            return raw;
        }
        StringBuilder out = new StringBuilder(raw.length());
        out.append(raw, 0, first);
        for (int i = first; i < raw.length(); i++) {
            char c = raw.charAt(i);
            int hi = c == '%' && i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
            int lo = hi >= 0 ? Character.digit(raw.charAt(i + 2), 16) : -1;
            if (lo < 0) {
                if (strict && c == '%') {
                    throw new ProtocolException(Fault.BAD_REQUEST, i + 2 >= raw.length()
                            ? "truncated percent-encoding in path" : "invalid percent-encoding in path");
                }
                out.append(c);
            } else if (strict && hi == 0 && lo == 0) {
                throw new ProtocolException(Fault.BAD_REQUEST, "percent-encoded NUL in path");
            } else {
                out.append((char) (hi << 4 | lo));
                i += 2;
            }
        }
        return out.toString();
    }

    /** The whole requested path: DOCUMENT_URI (already decoded), else REQUEST_URI's path decoded, else "". */
    private static String fullPath(Environ env) {
        String documentUri = env.get(DOCUMENT_URI);
        if (!isEmpty(documentUri)) {
            return documentUri;
        }
        String uri = env.get(EnvironKeys.REQUEST_URI);
        if (isEmpty(uri)) {
            return "";
        }
        int start = 0;
        if (uri.charAt(0) != '/') {
            int authority = uri.indexOf("://");
            start = authority < 0 ? 0 : Math.max(0, uri.indexOf('/', authority + 3));
        }
        int q = uri.indexOf('?', start);
        return decodePath(uri.substring(start, q < 0 ? uri.length() : q));
    }

    /** True when {@code path} starts with a SCRIPT_NAME other than "" or "/" at a segment boundary. */
    public static boolean repeatsScriptName(String path, String script) {
        return script != null && !script.isEmpty() && !script.equals("/") && path.startsWith(script)
                && (path.length() == script.length() || path.charAt(script.length()) == '/');
    }

    private static String withoutPrefix(String path, String script) {
        return repeatsScriptName(path, script) ? path.substring(script.length()) : path;
    }

    private static void fillServer(Environ env, String scheme) {
        boolean noName = isEmpty(env.get(EnvironKeys.SERVER_NAME));
        boolean noPort = isEmpty(env.get(EnvironKeys.SERVER_PORT));
        if (!noName && !noPort) {
            return;
        }
        String host = env.get(EnvironKeys.HTTP_HOST);
        String name = "localhost";
        String port = scheme.equals("https") ? "443" : "80";
        if (!isEmpty(host)) {
            int close = host.charAt(0) == '[' ? host.indexOf(']') : -1;
            int colon = host.indexOf(':', Math.max(close, 0));
            name = colon < 0 ? host : host.substring(0, colon);
            if (colon >= 0 && colon + 1 < host.length()) {
                port = host.substring(colon + 1);
            }
        }
        if (noName) {
            env.put(EnvironKeys.SERVER_NAME, name.isEmpty() ? "localhost" : name);
        }
        if (noPort) {
            env.put(EnvironKeys.SERVER_PORT, port);
        }
    }

    private static boolean isEmpty(String s) {
        return s == null || s.isEmpty();
    }
}
