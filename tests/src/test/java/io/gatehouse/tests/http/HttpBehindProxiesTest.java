package io.gatehouse.tests.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.tests.support.Apache;
import io.gatehouse.tests.support.FreePort;
import io.gatehouse.tests.support.FrontServer;
import io.gatehouse.tests.support.GatehouseProcess;
import io.gatehouse.tests.support.Lighttpd;
import io.gatehouse.tests.support.Nginx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP listener behind real reverse proxies (nginx proxy_pass, Apache mod_proxy_http, lighttpd mod_proxy). */
class HttpBehindProxiesTest {
    @TempDir
    static Path dir;
    static GatehouseProcess server;
    static int port;
    static final HttpClient client = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        port = FreePort.pick();
        String classes = GatehouseProcess.exampleClasses().toString();
        server = GatehouseProcess.start(dir.resolve("gatehouse"), """
                listeners:
                  - protocol: http
                    bind: 127.0.0.1:%d
                apps:
                  - name: environ
                    runtime: jvm
                    mount: /app
                    class: io.gatehouse.examples.hello.EnvironApp
                    classpath: [%s]
                """.formatted(port, classes));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static void assertProxied(FrontServer front) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(front.url() + "/app/x?q=1"))
                .POST(HttpRequest.BodyPublishers.ofString("a".repeat(100_000))).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), front.errorLog());
        assertTrue(r.body().contains("\nSCRIPT_NAME=/app\n"), r.body());
        assertTrue(r.body().contains("\nPATH_INFO=/x\n"), r.body());
        assertTrue(r.body().contains("\nbody-length=100000\n"), r.body());
    }

    @Test
    void worksBehindNginx() throws Exception {
        try (Nginx nginx = Nginx.start(dir.resolve("nginx"), "location / { proxy_pass http://127.0.0.1:" + port
                + "; proxy_http_version 1.1; proxy_set_header Connection \"\"; }")) {
            assertProxied(nginx);
        }
    }

    @Test
    void worksBehindApache() throws Exception {
        try (Apache apache = Apache.start(dir.resolve("apache"), List.of("proxy", "proxy_http"),
                "ProxyPass / http://127.0.0.1:" + port + "/\n")) {
            assertProxied(apache);
        }
    }

    @Test
    void worksBehindLighttpd() throws Exception {
        try (Lighttpd lighttpd = Lighttpd.start(dir.resolve("lighttpd"), List.of("mod_proxy"),
                "proxy.server = ( \"\" => (( \"host\" => \"127.0.0.1\", \"port\" => " + port + " )))")) {
            assertProxied(lighttpd);
        }
    }
}
