package io.gatehouse.spi.protocol;

import io.gatehouse.app.Environ;
import io.gatehouse.app.EnvironKeys;
import io.gatehouse.spi.exchange.Fault;
import io.gatehouse.spi.exchange.ProtocolException;

/**
 * The CGI variables as protocols read them: how a var joins the environ (repeated header fields combined), the body
 * length CONTENT_LENGTH declares, the scheme, and percent-decoding (and dot segments) of request paths.
 * {@link GatewayEnviron}
 * completes a front server's variables into a PEP 3333 environ.
 */
public final class CgiVars {
    /** nginx's scgi_params and fastcgi_params carry the decoded path here instead of in PATH_INFO. */
    public static final String DOCUMENT_URI = "DOCUMENT_URI";
    /** uWSGI's explicit scheme variable; it wins over HTTPS and REQUEST_SCHEME, as in uWSGI. */
    public static final String UWSGI_SCHEME = "UWSGI_SCHEME";
    /** The scheme variable nginx, Apache and lighttpd send. */
    public static final String REQUEST_SCHEME = "REQUEST_SCHEME";

    private static final int MAX_LENGTH_DIGITS = 18;
    private static final String HTTP_PREFIX = "HTTP_";
    private static final String HTTP_COOKIE = "HTTP_COOKIE";

    private CgiVars() {
    }

    /**
     * Adds one variable a front server sent. A repeated request header field ({@code HTTP_*}, as nginx before 1.23
     * sends X-Forwarded-For or Cookie given twice) is combined as RFC 9110 section 5.3 says: values joined with
     * ", ", Cookie's with "; " (RFC 6265 section 5.4). Any other repeated name keeps its last value, as uWSGI does
     * (nginx sends both when a config sets a param an included params file already set).
     */
    public static void addVar(Environ env, String name, String value) {
        String earlier = env.get(name);
        if (earlier == null) {
            env.append(name, value);
        } else if (name.startsWith(HTTP_PREFIX)) {
            env.put(name, earlier + (name.equals(HTTP_COOKIE) ? "; " : ", ") + value);
        } else {
            env.put(name, value);
        }
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
     * The PATH_INFO of a request this server parses itself (HTTP, AJP): percent-decoded as {@link #decodePath} does,
     * but refusing a malformed escape and an escaped NUL (no app path has one, and file-system code would truncate
     * at it), then with its dot segments removed and its slashes merged ({@link #removeDotSegments}), as nginx does
     * before it picks a location, so that a mount is matched on the path the app will see.
     *
     * @throws ProtocolException 400 naming the fault
     */
    public static String decodeRequestPath(String raw) {
        return removeDotSegments(decode(raw, true));
    }

    /**
     * RFC 3986 section 5.2.4's remove_dot_segments on a decoded path, as nginx's ngx_http_parse_complex_uri does it:
     * a "." segment goes, a ".." segment takes the segment before it away, and "//" is one "/" (nginx's
     * merge_slashes, on by default). A path ending in a dot segment keeps its last "/" ({@code /a/b/..} is
     * {@code /a/}). Decoded first, so {@code %2E%2E} and {@code %2F} count as "..", "/" (nginx decodes first too).
     * Anything not starting with "/" (the asterisk form, an empty path) is left as it is.
     *
     * @throws ProtocolException 400 when a ".." would climb above "/", as nginx answers
     */
    static String removeDotSegments(String path) {
        if (path.isEmpty() || path.charAt(0) != '/' || (!path.contains("/.") && !path.contains("//"))) {
            return path; // the usual path, looked at twice and left alone
        }
        StringBuilder out = new StringBuilder(path.length());
        int n = path.length();
        for (int slash = 0; slash < n; ) {
            int start = slash + 1;
            int end = path.indexOf('/', start);
            end = end < 0 ? n : end;
            boolean last = end == n;
            int length = end - start;
            boolean dot = length == 1 && path.charAt(start) == '.';
            boolean dotDot = length == 2 && path.charAt(start) == '.' && path.charAt(start + 1) == '.';
            if (dotDot) {
                int parent = out.lastIndexOf("/");
                if (parent < 0) {
                    throw new ProtocolException(Fault.BAD_REQUEST, "'..' in the path climbs above /");
                }
                out.setLength(parent);
            }
            if (length > 0 && !dot && !dotDot) {
                out.append('/').append(path, start, end);
            } else if (last) {
                out.append('/'); // "/a/", "/a/." and "/a/b/.." end in a directory
            }
            slash = end;
        }
        return out.toString();
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


    /** True when {@code path} starts with a SCRIPT_NAME other than "" or "/" at a segment boundary. */
    public static boolean repeatsScriptName(String path, String script) {
        return script != null && !script.isEmpty() && !script.equals("/") && path.startsWith(script)
                && (path.length() == script.length() || path.charAt(script.length()) == '/');
    }



    static boolean isEmpty(String s) {
        return s == null || s.isEmpty();
    }
}
