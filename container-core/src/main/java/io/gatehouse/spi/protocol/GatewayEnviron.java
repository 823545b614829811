package io.gatehouse.spi.protocol;

import io.gatehouse.app.Environ;
import io.gatehouse.app.EnvironKeys;
import io.gatehouse.spi.exchange.VarsReport;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The one normalization of the variables a front server sends over uwsgi, SCGI or FastCGI into a PEP 3333
 * environ. The front server's values are kept as given; what PEP 3333 requires and the front server left out gets
 * the default uWSGI effectively applies, so a location with a few {@code uwsgi_param} lines still reaches the app.
 * The router then joins SCRIPT_NAME and PATH_INFO into the requested path whichever server sent them:
 *
 * <ul>
 *   <li>nginx sends PATH_INFO (uwsgi_params) or only DOCUMENT_URI (scgi_params), no SCRIPT_NAME;</li>
 *   <li>Apache's mod_proxy_uwsgi splits SCRIPT_NAME and PATH_INFO at the ProxyPass prefix, mod_proxy_scgi puts
 *       the whole path in SCRIPT_NAME;</li>
 *   <li>lighttpd splits at the scgi.server prefix.</li>
 * </ul>
 *
 * <p>The body is framed by CONTENT_LENGTH alone, so the copies of the framing headers nginx also passes as
 * {@code HTTP_*} (forbidden by PEP 3333 next to the CGI names) never reach the app.
 */
public final class GatewayEnviron {
    private static final String HTTP_CONTENT_TYPE = "HTTP_CONTENT_TYPE";
    private static final String HTTP_CONTENT_LENGTH = "HTTP_CONTENT_LENGTH";
    private static final String HTTP_TRANSFER_ENCODING = "HTTP_TRANSFER_ENCODING";
    private static final String UWSGI_PREFIX = "UWSGI_";
    /** What uWSGI assumes of a request that does not say (its HTTP parser's default). */
    static final String DEFAULT_PROTOCOL = "HTTP/1.0";

    private GatewayEnviron() {
    }

    /**
     * Completes {@code env} in place: REQUEST_METHOD ("GET"), SCRIPT_NAME (""), PATH_INFO (from DOCUMENT_URI or
     * REQUEST_URI, minus SCRIPT_NAME, else ""), QUERY_STRING (from REQUEST_URI, else ""), SERVER_PROTOCOL
     * ("HTTP/1.0"), SERVER_NAME and SERVER_PORT (from HTTP_HOST, else the listener's address {@code local}), and
     * wsgi.url_scheme. A PATH_INFO that repeats SCRIPT_NAME although it is the whole requested path (nginx with
     * {@code uwsgi_param SCRIPT_NAME /app}) loses the repeat. HTTP_CONTENT_TYPE becomes CONTENT_TYPE where that is
     * missing and is dropped otherwise; HTTP_CONTENT_LENGTH and HTTP_TRANSFER_ENCODING are dropped (the front
     * server has removed any chunked coding, and an app that saw the header, as Werkzeug does, would ignore
     * CONTENT_LENGTH). Returns what had to be defaulted, and the uWSGI magic variables present, none of which is
     * obeyed (UWSGI_SCHEME aside, which only sets the scheme).
     */
    public static VarsReport complete(Environ env, SocketAddress local) {
        List<String> defaulted = null;
        if (CgiVars.isEmpty(env.get(EnvironKeys.REQUEST_METHOD))) {
            env.put(EnvironKeys.REQUEST_METHOD, "GET");
            defaulted = note(defaulted, EnvironKeys.REQUEST_METHOD, "GET");
        }
        String script = env.get(EnvironKeys.SCRIPT_NAME);
        String pathInfo = env.get(EnvironKeys.PATH_INFO);
        String fullPath = fullPath(env);
        if (pathInfo == null) {
            if (fullPath == null) {
                defaulted = note(defaulted, EnvironKeys.PATH_INFO, "");
            }
            pathInfo = withoutPrefix(fullPath == null ? "" : fullPath, script);
            env.put(EnvironKeys.PATH_INFO, pathInfo);
        } else if (CgiVars.repeatsScriptName(pathInfo, script) && pathInfo.equals(fullPath)) {
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
            if (uri == null) {
                defaulted = note(defaulted, EnvironKeys.QUERY_STRING, "");
            }
        }
        if (CgiVars.isEmpty(env.get(EnvironKeys.SERVER_PROTOCOL))) {
            env.put(EnvironKeys.SERVER_PROTOCOL, DEFAULT_PROTOCOL);
            defaulted = note(defaulted, EnvironKeys.SERVER_PROTOCOL, DEFAULT_PROTOCOL);
        }
        String scheme = CgiVars.urlScheme(env);
        env.put(EnvironKeys.WSGI_URL_SCHEME, scheme);
        defaulted = fillServer(env, scheme, local, defaulted);
        foldFramingFields(env);
        List<String> ignored = magicVars(env);
        return defaulted == null && ignored == null ? VarsReport.NONE
                : new VarsReport(defaulted == null ? List.of() : defaulted, ignored == null ? List.of() : ignored);
    }

    private static void foldFramingFields(Environ env) {
        String type = env.remove(HTTP_CONTENT_TYPE);
        if (type != null && env.get(EnvironKeys.CONTENT_TYPE) == null) {
            env.put(EnvironKeys.CONTENT_TYPE, type);
        }
        env.remove(HTTP_CONTENT_LENGTH);
        env.remove(HTTP_TRANSFER_ENCODING);
    }

    /** The uWSGI magic variables present (UWSGI_SETENV, UWSGI_CHDIR, UWSGI_SCRIPT...), or null for none. */
    private static List<String> magicVars(Environ env) {
        List<String> found = null;
        for (int i = 0; i < env.size(); i++) {
            String key = env.key(i);
            if (key.startsWith(UWSGI_PREFIX) && !key.equals(CgiVars.UWSGI_SCHEME)) {
                found = found == null ? new ArrayList<>(2) : found;
                found.add(key);
            }
        }
        return found;
    }

    /** The whole requested path: DOCUMENT_URI (already decoded), else REQUEST_URI's path decoded, else null. */
    private static String fullPath(Environ env) {
        String documentUri = env.get(CgiVars.DOCUMENT_URI);
        if (!CgiVars.isEmpty(documentUri)) {
            return documentUri;
        }
        String uri = env.get(EnvironKeys.REQUEST_URI);
        if (CgiVars.isEmpty(uri)) {
            return null;
        }
        int start = 0;
        if (uri.charAt(0) != '/') {
            int authority = uri.indexOf("://");
            start = authority < 0 ? 0 : Math.max(0, uri.indexOf('/', authority + 3));
        }
        int q = uri.indexOf('?', start);
        return CgiVars.decodePath(uri.substring(start, q < 0 ? uri.length() : q));
    }

    private static String withoutPrefix(String path, String script) {
        return CgiVars.repeatsScriptName(path, script) ? path.substring(script.length()) : path;
    }

    /** SERVER_NAME and SERVER_PORT where missing: from HTTP_HOST as the client wrote it, else from the listener. */
    private static List<String> fillServer(Environ env, String scheme, SocketAddress local, List<String> defaulted) {
        boolean noName = CgiVars.isEmpty(env.get(EnvironKeys.SERVER_NAME));
        boolean noPort = CgiVars.isEmpty(env.get(EnvironKeys.SERVER_PORT));
        if (!noName && !noPort) {
            return defaulted;
        }
        String name = "localhost";
        String port = scheme.equals("https") ? "443" : "80";
        if (local instanceof InetSocketAddress inet) {
            name = inet.getHostString();
            port = Integer.toString(inet.getPort());
        }
        String host = env.get(EnvironKeys.HTTP_HOST);
        if (!CgiVars.isEmpty(host)) {
            int close = host.charAt(0) == '[' ? host.indexOf(']') : -1;
            int colon = host.indexOf(':', Math.max(close, 0));
            name = colon < 0 ? host : host.substring(0, colon);
            port = colon >= 0 && colon + 1 < host.length() ? host.substring(colon + 1)
                    : scheme.equals("https") ? "443" : "80";
        }
        if (noName) {
            env.put(EnvironKeys.SERVER_NAME, name.isEmpty() ? "localhost" : name);
            defaulted = note(defaulted, EnvironKeys.SERVER_NAME, env.get(EnvironKeys.SERVER_NAME));
        }
        if (noPort) {
            env.put(EnvironKeys.SERVER_PORT, port);
            defaulted = note(defaulted, EnvironKeys.SERVER_PORT, port);
        }
        return defaulted;
    }

    private static List<String> note(List<String> defaulted, String key, String value) {
        List<String> list = defaulted == null ? new ArrayList<>(4) : defaulted;
        list.add(key + "=" + value);
        return list;
    }
}
