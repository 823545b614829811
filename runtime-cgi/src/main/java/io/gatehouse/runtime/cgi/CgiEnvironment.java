package io.gatehouse.runtime.cgi;

import io.gatehouse.app.Environ;
import io.gatehouse.app.EnvironKeys;
import io.gatehouse.spi.runtime.DocumentRoot;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * A script's process environment, built from an allow-list and nothing else: the request's RFC 3875 meta-variables
 * (section 4.1) and the usual extensions, its {@code HTTP_*} fields but {@code HTTP_PROXY}, the variables this
 * runtime computes, and the app's configured {@code env} with a PATH. A name a request chose never gets in, from any
 * protocol: a client speaking uwsgi to the listener can send a var called {@code LD_PRELOAD}, {@code PYTHONWARNINGS}
 * or {@code BASH_ENV} (the first two and {@code BROWSER} are enough to run a shell command in any Python script);
 * and the master's own environment does not leak in either.
 */
final class CgiEnvironment {
    /** The PATH of scripts whose app's {@code env} sets none. */
    static final String PATH = "/usr/local/bin:/usr/bin:/bin";

    /** Meta-variables a request brings: as the front server sent them, or as the listener computed them. */
    static final Set<String> FROM_REQUEST = Set.of("AUTH_TYPE", "CONTENT_LENGTH", "CONTENT_TYPE", "QUERY_STRING",
            "REMOTE_ADDR", "REMOTE_HOST", "REMOTE_IDENT", "REMOTE_USER", "REQUEST_METHOD", "SERVER_NAME",
            "SERVER_PORT", "SERVER_PROTOCOL", "SERVER_SOFTWARE", "REQUEST_URI", "REQUEST_SCHEME", "HTTPS",
            "REMOTE_PORT", "SERVER_ADDR");

    /**
     * The request field that httpoxy (CVE-2016-5385) rides on: a {@code Proxy:} header becomes HTTP_PROXY, which
     * most HTTP client libraries take as their proxy setting.
     */
    static final String HTTPOXY = "HTTP_PROXY";

    private final Map<String, String> base;

    /** The variables of every script of an app: its {@code env}, with {@link #PATH} unless that sets PATH. */
    CgiEnvironment(Map<String, String> configured) {
        Map<String, String> env = new HashMap<>();
        configured.forEach((name, value) -> env.put(name, value == null ? "" : value));
        env.putIfAbsent("PATH", PATH);
        this.base = Map.copyOf(env);
    }

    /** A meta-variable value that holds a NUL: no process environment can carry it. */
    static final class NulException extends Exception {
        NulException(String name) {
            super("the meta-variable " + name + " holds a NUL byte");
        }
    }

    /**
     * The environment of the script {@code target} for the request {@code env}: configured variables, then the
     * allowed meta-variables, then those this runtime computes (which a request can never set): SCRIPT_NAME,
     * PATH_INFO, SCRIPT_FILENAME, DOCUMENT_ROOT and PATH_TRANSLATED (under a {@code root}), GATEWAY_INTERFACE,
     * REDIRECT_STATUS.
     */
    Map<String, String> of(Environ env, CgiScripts.Target target, Path root) throws NulException {
        Map<String, String> out = new HashMap<>(base);
        for (int i = 0; i < env.size(); i++) {
            String key = env.key(i);
            if (allowed(key)) {
                String value = env.value(i);
                if (value.indexOf('\0') >= 0) {
                    throw new NulException(key);
                }
                out.put(key, DocumentRoot.utf8(value));
            }
        }
        out.putIfAbsent(EnvironKeys.SERVER_SOFTWARE, EnvironKeys.SOFTWARE);
        out.put(EnvironKeys.GATEWAY_INTERFACE, "CGI/1.1");
        out.put(EnvironKeys.SCRIPT_NAME, DocumentRoot.utf8(target.scriptName()));
        out.put(EnvironKeys.PATH_INFO, DocumentRoot.utf8(target.pathInfo()));
        out.put("SCRIPT_FILENAME", target.script().toString());
        out.put("REDIRECT_STATUS", "200");
        if (root != null) {
            out.put("DOCUMENT_ROOT", root.toString());
            if (!target.pathInfo().isEmpty()) {
                out.put("PATH_TRANSLATED", root.resolve(DocumentRoot.utf8(target.pathInfo()).substring(1)).toString());
            }
        }
        return out;
    }

    /** True for the request's meta-variables and its header fields ({@code HTTP_} and upper case), httpoxy's aside. */
    static boolean allowed(String key) {
        if (FROM_REQUEST.contains(key)) {
            return true;
        }
        if (!key.startsWith("HTTP_") || key.length() == 5 || key.equals(HTTPOXY)) {
            return false;
        }
        for (int i = 5; i < key.length(); i++) {
            char c = key.charAt(i);
            if (!(c >= 'A' && c <= 'Z') && !(c >= '0' && c <= '9') && c != '_') {
                return false;
            }
        }
        return true;
    }
}
