package io.gatehouse.tests.python;

import java.io.ByteArrayInputStream;
import java.io.SequenceInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Collections;

/** Debian's Django under /usr/bin/python3, preloaded once and forked into two workers; a multipart upload. */
class DjangoAppTest extends WebFrameworkCases {
    private static final String BOUNDARY = "gatehouse-boundary-7MA4YWxkTrZu0gW";

    @Override
    String apps() {
        return PythonApps.app("django", "/",
                "module: djsite.wsgi\nchdir: " + PythonApps.dir() + "\nworkers: 2\npreload: true");
    }

    @Override
    String route(String path) {
        return path.endsWith("/") || path.startsWith("/raw/") ? path : path + "/";
    }

    @Override
    String framework() {
        return "Django";
    }

    @Override
    HttpResponse<String> upload(long size) {
        byte[] head = ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] tail = ("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        long length = head.length + size + tail.length;
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofInputStream(() -> new SequenceInputStream(Collections.enumeration(List.of(
                        new ByteArrayInputStream(head), new PatternStream(size), new ByteArrayInputStream(tail))))),
                length);
        return PythonApps.send(HttpRequest.newBuilder(PythonApps.uri(port, "/upload/"))
                .timeout(Duration.ofSeconds(120))
                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY).POST(body).build());
    }

    @Override
    String uploadAnswer(long size) {
        return size + " " + PatternStream.sha256(size) + " TemporaryUploadedFile\n";
    }
}
