package io.gatehouse.tests.python;

import io.gatehouse.tests.support.Distribution;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Where the Python test apps live, the interpreter that runs them, and small HTTP and /proc reads for the tests. */
public final class PythonApps {
    /** Debian's interpreter, which has python3-flask and python3-django. */
    public static final String PYTHON = "/usr/bin/python3";
    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    private PythonApps() {
    }

    /** tests/src/test/python, holding the WSGI apps. */
    public static Path dir() {
        return Distribution.repositoryRoot().resolve("tests/src/test/python");
    }

    /**
     * One python app (a list item under apps:) run by Debian's Python, writing no bytecode beside the test sources,
     * with the app's own {@code keys} (YAML lines).
     */
    public static String app(String name, String mount, String keys) {
        return app(name, mount, "", keys);
    }

    /** As {@link #app(String, String, String)}, with more {@code env} entries ({@code KEY: "value", ...}). */
    public static String app(String name, String mount, String env, String keys) {
        return """
                - name: %s
                  mount: %s
                  runtime: python
                  python: %s
                  env: {PYTHONDONTWRITEBYTECODE: "1"%s}
                """.formatted(name, mount, PYTHON, env.isEmpty() ? "" : ", " + env) + keys.indent(2);
    }

    /** The keys of the app {@code module} of {@link #dir()}, plus {@code extra} (YAML lines). */
    public static String module(String module, String extra) {
        return "module: " + module + "\nchdir: " + dir() + "\n" + extra;
    }

    /** The keys of lifecycle_app.py, plus {@code extra} (YAML lines). */
    static String lifecycleApp(String extra) {
        return module("lifecycle_app", extra);
    }

    static HttpResponse<String> get(int port, String path) {
        return send(HttpRequest.newBuilder(uri(port, path)).timeout(Duration.ofSeconds(30)).build());
    }

    static HttpResponse<String> send(HttpRequest request) {
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    static URI uri(int port, String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** A /proc/PID/io counter (rchar, wchar), or -1. */
    static long ioCounter(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/io"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.substring(field.length() + 1).trim());
                }
            }
            return -1;
        } catch (IOException e) {
            return -1;
        }
    }
}
