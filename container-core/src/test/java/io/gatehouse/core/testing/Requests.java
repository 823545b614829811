package io.gatehouse.core.testing;

import io.gatehouse.app.Environ;
import io.gatehouse.spi.exchange.EnvironHead;

/** Request heads for core tests, shaped as a front server or the HTTP listener would make them. */
public final class Requests {
    private Requests() {
    }

    /** A GET of {@code path} (PATH_INFO, SCRIPT_NAME empty) with no body, keep-alive. */
    public static EnvironHead get(String path) {
        return head("GET", path, 0);
    }

    /** A request of {@code method} for {@code path} with a body of {@code length} bytes (-1: chunked). */
    public static EnvironHead head(String method, String path, long length) {
        return new EnvironHead(environ(method, path), 0, length, true);
    }

    /** The environ of such a request, with a Host of example.com. */
    public static Environ environ(String method, String path) {
        Environ env = new Environ();
        env.put("REQUEST_METHOD", method);
        env.put("SCRIPT_NAME", "");
        env.put("PATH_INFO", path);
        env.put("QUERY_STRING", "");
        env.put("REQUEST_URI", path);
        env.put("SERVER_PROTOCOL", "HTTP/1.1");
        env.put("HTTP_HOST", "example.com");
        env.put("REMOTE_ADDR", "127.0.0.1");
        env.put("REMOTE_PORT", "40000");
        return env;
    }
}
