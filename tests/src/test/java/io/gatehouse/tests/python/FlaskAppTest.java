package io.gatehouse.tests.python;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Debian's Flask under /usr/bin/python3, two lazily importing workers; the upload streams chunked. */
class FlaskAppTest extends WebFrameworkCases {
    @Override
    String apps() {
        return PythonApps.app("flask", "/", "module: flask_app:app\nchdir: " + PythonApps.dir() + "\nworkers: 2");
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
