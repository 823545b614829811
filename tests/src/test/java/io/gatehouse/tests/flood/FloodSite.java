package io.gatehouse.tests.flood;

import io.gatehouse.examples.hello.HelloApp;
import io.gatehouse.tests.python.PythonApps;
import io.gatehouse.tests.support.GatehouseYaml;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The sites of the flood tests: one HTTP listener, named web, on 127.0.0.1, in front of the JVM hello app or of
 * flood_app.py (tests/src/test/python) served by one Python worker.
 */
final class FloodSite {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private FloodSite() {
    }

    /** flood_app.py behind the listener on {@code port} with {@code keys} (YAML flow-mapping entries, or ""). */
    static String python(int port, String keys) {
        return of(port, keys, PythonApps.app("flood", "/", PythonApps.module("flood_app", "workers: 1")));
    }

    /**
     * The JVM hello app behind the listener on {@code port} with {@code keys}; its queue holds a flood's first
     * requests, all sent at once (the default 100 would answer most of them 503).
     */
    static String hello(int port, String keys) {
        return of(port, keys, GatehouseYaml.jvmApp("hello", "/", HelloApp.class) + "  threads: 4\n  queue: 20000\n");
    }

    private static String of(int port, String keys, String app) {
        return """
                listeners:
                  - {name: web, protocol: http, bind: "127.0.0.1:%d"%s}
                apps:
                %s""".formatted(port, keys.isEmpty() ? "" : ", " + keys, app.indent(2));
    }

    /** The pid of the worker that answers /pid now. */
    static long workerPid(int port) {
        try {
            HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/pid"))
                    .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new AssertionError("/pid answered " + r.statusCode() + ": " + r.body());
            }
            return Long.parseLong(r.body().strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
