package io.gatehouse.tests.fastcgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.tests.support.Apache;
import io.gatehouse.tests.support.Distribution;
import io.gatehouse.tests.support.FreePort;
import io.gatehouse.tests.support.FrontServer;
import io.gatehouse.tests.support.GatehouseProcess;
import io.gatehouse.tests.support.Lighttpd;
import io.gatehouse.tests.support.Nginx;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The listener's answers to requests over its limits, and a response cut short, as clients of real web servers see
 * them: 413 for an upload over max-body-size (also from Apache, which sends the whole body before it reads the
 * answer), 431 for headers over max-params-size, and a truncated body when the app fails after its head.
 */
class FcgiErrorsBehindFrontServersTest {
    @TempDir
    static Path dir;
    static int port;
    static GatehouseProcess gatehouse;
    static final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        port = FreePort.pick();
        String examples = GatehouseProcess.exampleClasses().toString();
        String apps = Distribution.repositoryRoot().resolve("tests/target/test-classes").toString();
        gatehouse = GatehouseProcess.start(dir.resolve("gatehouse"), """
                listeners:
                  - protocol: fastcgi
                    bind: 127.0.0.1:%d
                    max-body-size: 1MiB
                    max-params-size: 4KiB
                apps:
                  - name: environ
                    runtime: jvm
                    mount: /env
                    class: io.gatehouse.examples.hello.EnvironApp
                    classpath: [%s]
                  - name: fail
                    runtime: jvm
                    mount: /fail
                    class: io.gatehouse.tests.fastcgi.FailAfterHeadApp
                    classpath: [%s]
                """.formatted(port, examples, apps));
    }

    @AfterAll
    static void stop() {
        if (gatehouse != null) {
            gatehouse.close();
        }
    }

    static Stream<Arguments> frontServers() {
        BiFunction<Path, Integer, FrontServer> nginx = (d, p) -> Nginx.start(d, "upstream gh { server 127.0.0.1:" + p
                + "; keepalive 2; }", "location / { include /etc/nginx/fastcgi_params; fastcgi_keep_conn on; "
                + "fastcgi_pass gh; }");
        BiFunction<Path, Integer, FrontServer> apache = (d, p) -> Apache.start(d, List.of("proxy", "proxy_fcgi"),
                "ProxyPass \"/\" \"fcgi://127.0.0.1:" + p + "/\"\n");
        BiFunction<Path, Integer, FrontServer> lighttpd = (d, p) -> Lighttpd.start(d, List.of("mod_fastcgi"),
                "fastcgi.server = ( \"/\" => (( \"host\" => \"127.0.0.1\", \"port\" => " + p
                        + ", \"check-local\" => \"disable\" )) )\n"
                        // buffered (the default), lighttpd gives a cut response a Content-Length and passes it on whole
                        + "server.stream-response-body = 2\n");
        return Stream.of(Arguments.of("nginx", nginx), Arguments.of("apache", apache),
                Arguments.of("lighttpd", lighttpd));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("frontServers")
    void answersLimitsAndCutsAFailedResponse(String name, BiFunction<Path, Integer, FrontServer> start)
            throws Exception {
        try (FrontServer front = start.apply(dir.resolve(name), port)) {
            String diagnostics = "\n--- " + name + ":\n" + front.errorLog() + "\n--- gatehouse:\n";
            HttpResponse<String> big = client.send(HttpRequest.newBuilder(URI.create(front.url() + "/env/up"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[20_000_000])).timeout(Duration.ofSeconds(60))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(413, big.statusCode(), diagnostics + gatehouse.output());

            HttpResponse<String> fat = client.send(HttpRequest.newBuilder(URI.create(front.url() + "/env/h"))
                    .header("X-Fat", "f".repeat(5000)).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(431, fat.statusCode(), diagnostics + gatehouse.output());

            HttpResponse<String> fine = client.send(HttpRequest.newBuilder(URI.create(front.url() + "/env/ok"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, fine.statusCode(), diagnostics + gatehouse.output());
            assertTrue(fine.body().contains("\nPATH_INFO=/ok\n"), fine.body());

            assertThrows(IOException.class, () -> client.send(HttpRequest.newBuilder(URI.create(front.url()
                    + "/fail")).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray()),
                    "a body cut short must not look complete");
        }
    }
}
