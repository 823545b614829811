package io.gatehouse.tests.python;

import io.gatehouse.tests.support.FreePort;
import io.gatehouse.tests.support.GatehouseProcess;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** Debian's Flask under /usr/bin/python3, two lazily importing workers; the upload streams chunked. */
class FlaskAppTest extends WebFrameworkCases {
    @TempDir
    static Path dir;
    static GatehouseProcess server;
    static int port;

    @BeforeAll
    static void start() {
        port = FreePort.pick();
        server = GatehouseProcess.start(dir, PythonApps.config(port, PythonApps.app("flask", "/",
                "module: flask_app:app\nchdir: " + PythonApps.dir() + "\nworkers: 2")));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Override
    GatehouseProcess server() {
        return server;
    }

    @Override
    int port() {
        return port;
    }

    @Override
    String route(String path) {
        return path;
    }

    @Override
    String framework() {
        return "Flask";
    }

    @Override
    HttpResponse<String> upload(long size) {
        return PythonApps.send(HttpRequest.newBuilder(PythonApps.uri(port, "/upload"))
                .timeout(Duration.ofSeconds(120))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new PatternStream(size))).build());
    }

    @Override
    String uploadAnswer(long size) {
        return size + " " + PatternStream.sha256(size) + "\n";
    }
}
