package io.gatehouse.tests.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.examples.hello.EnvironApp;
import io.gatehouse.examples.hello.HelloApp;
import io.gatehouse.tests.support.FreePort;
import io.gatehouse.tests.support.GatehouseProcess;
import io.gatehouse.tests.support.GatehouseYaml;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built distribution serving the JVM example apps over HTTP, as the README shows. */
class JvmExampleEndToEndTest {
    @TempDir
    static Path dir;
    static GatehouseProcess server;
    static int port;
    static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        port = FreePort.pick();
        server = GatehouseProcess.start(dir, GatehouseYaml.httpSite(port, GatehouseYaml.jvmApp("hello", "/hello",
                HelloApp.class) + GatehouseYaml.jvmApp("environ", "/app", EnvironApp.class)));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesTheHelloApp() throws Exception {
        HttpResponse<String> r = get("/hello");
        assertEquals(200, r.statusCode());
        assertEquals("Hello, world!\n", r.body());
        assertEquals("14", r.headers().firstValue("content-length").orElseThrow());
    }

    @Test
    void answersAnUnmountedPathWith404() throws Exception {
        assertEquals(404, get("/elsewhere").statusCode());
        assertEquals(404, get("/application").statusCode(), "/app must not match /application");
    }

    @Test
    void setsScriptNameAndPathInfoForTheMount() throws Exception {
        HttpResponse<String> r = get("/app/x?y=1");
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("\nSCRIPT_NAME=/app\n"), r.body());
        assertTrue(r.body().contains("\nPATH_INFO=/x\n"), r.body());
        assertTrue(r.body().contains("\nQUERY_STRING=y=1\n"), r.body());
        HttpResponse<String> bare = get("/app");
        assertTrue(bare.body().contains("\nPATH_INFO=\n"), bare.body());
    }
}
