package io.gatehouse.tests.fastcgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.tests.apps.EchoApp;
import io.gatehouse.tests.support.FreePort;
import io.gatehouse.tests.support.FrontServer;
import io.gatehouse.tests.support.GatehouseProcess;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The cases every web server in front of the FastCGI listener must pass: GET with a query string, a mount's
 * SCRIPT_NAME and PATH_INFO, a 20 MB upload, a 50 MB streamed response checked byte for byte, HEAD. One Gatehouse
 * and one web server per test class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FcgiFrontServerCases {
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    Path dir;
    int gatehousePort;
    GatehouseProcess gatehouse;
    FrontServer front;

    /** Starts the web server in {@code dir}, passing requests to FastCGI on 127.0.0.1:{@code port}. */
    abstract FrontServer startFront(Path dir, int port);

    @BeforeAll
    void start() throws IOException {
        dir = Files.createTempDirectory("gatehouse-fcgi-");
        gatehousePort = FreePort.pick();
        gatehouse = FcgiGatehouse.start(dir.resolve("gatehouse"), gatehousePort);
        front = startFront(dir.resolve("front"), gatehousePort);
    }

    @AfterAll
    void stop() throws IOException {
        try (GatehouseProcess g = gatehouse; FrontServer f = front) {
            // both closed, front first
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(front.url() + path)).timeout(TIMEOUT);
    }

    String diagnostics() {
        return "\n--- web server:\n" + front.errorLog() + "\n--- gatehouse:\n" + gatehouse.output();
    }

    @Test
    void passesAGetWithItsQueryStringAndTheMountsScriptNameAndPathInfo() throws Exception {
        HttpResponse<String> r = client.send(request("/env/a/b?x=1&y=a%20b").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), diagnostics());
        String body = r.body();
        assertTrue(body.contains("\nSCRIPT_NAME=/env\n"), body);
        assertTrue(body.contains("\nPATH_INFO=/a/b\n"), body);
        assertTrue(body.contains("QUERY_STRING=x=1&y=a%20b\n"), body);
        assertTrue(body.contains("REQUEST_METHOD=GET\n"), body);
        assertTrue(body.contains("\ngatehouse.protocol=fastcgi\n"), body);
        assertTrue(body.contains("\nwsgi.url_scheme=http\n"), body);
        assertTrue(body.endsWith("body-length=0\n"), body);
    }

    @Test
    void passesA20MegabyteUploadWhole() throws Exception {
        byte[] data = new byte[20 * 1000 * 1000];
        new Random(20).nextBytes(data);
        HttpResponse<String> r = client.send(request("/echo").POST(HttpRequest.BodyPublishers.ofByteArray(data))
                .header("Content-Type", "application/octet-stream").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), diagnostics());
        assertTrue(r.body().contains("method=POST\nlength=20000000\n" + EchoApp.expectedSha(data)), r.body());
    }

    @Test
    void streamsA50MegabyteResponseByteForByte() throws Exception {
        HttpResponse<InputStream> r = client.send(request("/stream").GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode(), diagnostics());
        try (InputStream in = r.body()) {
            assertEquals(50_000_000L, FcgiGatehouse.readPattern(in));
        }
    }

    @Test
    void answersHeadWithHeadersOnly() throws Exception {
        HttpResponse<String> r = client.send(request("/hello").method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), diagnostics());
        assertEquals("", r.body());
        assertEquals("text/plain", r.headers().firstValue("content-type").orElse(""));
    }

    @Test
    void answersAnUnmountedPathWith404() throws Exception {
        HttpResponse<String> r = client.send(request("/nowhere").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(404, r.statusCode(), diagnostics());
    }
}
