package io.gatehouse.tests.fastcgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.tests.apps.EchoApp;
import io.gatehouse.tests.apps.StreamApp;
import io.gatehouse.tests.frontend.AppFlavour;
import io.gatehouse.tests.support.FreePort;
import io.gatehouse.tests.support.GatehouseProcess;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * libfcgi's {@code cgi-fcgi -bind -connect 127.0.0.1:PORT}: one request per run, its CGI environment sent as
 * PARAMS, its stdin as STDIN, the response written to its stdout in CGI form.
 */
class FcgiCgiFcgiTest {
    @TempDir
    static Path dir;
    static int port;
    static GatehouseProcess gatehouse;

    @BeforeAll
    static void start() {
        port = FreePort.pick();
        gatehouse = GatehouseProcess.start(dir.resolve("gatehouse"), """
                listeners:
                  - {name: fcgi, protocol: fastcgi, bind: "127.0.0.1:%d"}
                apps:
                %s""".formatted(port, AppFlavour.JVM.appsYaml().indent(2)));
    }

    @AfterAll
    static void stop() {
        if (gatehouse != null) {
            gatehouse.close();
        }
    }

    /** The CGI response cgi-fcgi printed: its header block, and the file holding it all. */
    record Cgi(String head, Path out) {
        InputStream body() throws IOException {
            InputStream in = new BufferedInputStream(Files.newInputStream(out));
            in.skipNBytes(head.length());
            return in;
        }
    }

    static Map<String, String> cgiEnv(String method, String scriptName, String pathInfo, String query) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("GATEWAY_INTERFACE", "CGI/1.1");
        env.put("REQUEST_METHOD", method);
        env.put("SCRIPT_NAME", scriptName);
        env.put("PATH_INFO", pathInfo);
        env.put("QUERY_STRING", query);
        env.put("SERVER_NAME", "localhost");
        env.put("SERVER_PORT", "80");
        env.put("SERVER_PROTOCOL", "HTTP/1.1");
        env.put("REMOTE_ADDR", "192.0.2.1");
        return env;
    }

    /** Runs cgi-fcgi with exactly {@code env} (nothing inherited) and {@code stdin} (or nothing). */
    static Cgi run(String name, Map<String, String> env, Path stdin) throws Exception {
        Path out = dir.resolve(name + ".out");
        Path err = dir.resolve(name + ".err");
        ProcessBuilder pb = new ProcessBuilder("/usr/bin/cgi-fcgi", "-bind", "-connect", "127.0.0.1:" + port)
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.redirectInput(stdin != null ? stdin.toFile() : Path.of("/dev/null").toFile());
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("cgi-fcgi did not finish in 60 s");
        }
        assertEquals(0, p.exitValue(), Files.readString(err) + "\n" + gatehouse.output());
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(out))) {
            for (int b, state = 0; state < 4 && (b = in.read()) >= 0; ) {
                head.write(b);
                state = (b == '\r' && state % 2 == 0) || (b == '\n' && state % 2 == 1) ? state + 1 : 0;
            }
        }
        return new Cgi(head.toString(StandardCharsets.ISO_8859_1), out);
    }

    @Test
    void passesAGetWithItsQueryStringAndTheMountsScriptNameAndPathInfo() throws Exception {
        Cgi r = run("get", cgiEnv("GET", "/app/a", "/b", "x=1&y=2"), null);
        assertTrue(r.head().startsWith("Status: 200 OK\r\n"), r.head());
        String body = new String(r.body().readAllBytes(), StandardCharsets.ISO_8859_1);
        assertTrue(body.contains("\nSCRIPT_NAME=/app\n"), body);
        assertTrue(body.contains("\nPATH_INFO=/a/b\n"), body);
        assertTrue(body.contains("QUERY_STRING=x=1&y=2\n"), body);
        assertTrue(body.contains("REMOTE_ADDR=192.0.2.1\n"), body);
        assertTrue(body.endsWith("body-length=0\n"), body);
    }

    @Test
    void passesA20MegabyteUploadWhole() throws Exception {
        byte[] data = new byte[20 * 1000 * 1000];
        new Random(21).nextBytes(data);
        Path upload = Files.write(dir.resolve("upload.bin"), data);
        Map<String, String> env = cgiEnv("POST", "/echo", "", "");
        env.put("CONTENT_LENGTH", Integer.toString(data.length));
        env.put("CONTENT_TYPE", "application/octet-stream");
        Cgi r = run("post", env, upload);
        String body = new String(r.body().readAllBytes(), StandardCharsets.ISO_8859_1);
        assertTrue(body.contains("method=POST\nlength=20000000\n" + EchoApp.expectedSha(data)), body);
    }

    @Test
    void streamsA50MegabyteResponseByteForByte() throws Exception {
        Cgi r = run("stream", cgiEnv("GET", "/stream", "", ""), null);
        assertTrue(r.head().startsWith("Status: 200 OK\r\n"), r.head());
        try (InputStream in = r.body()) {
            assertEquals(50_000_000L, StreamApp.readPattern(in));
        }
    }

    @Test
    void answersHeadWithHeadersOnly() throws Exception {
        Cgi r = run("head", cgiEnv("HEAD", "/hello", "", ""), null);
        assertEquals("Status: 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 14\r\n\r\n", r.head());
        assertEquals(r.head().length(), Files.size(r.out()), "no body after the head");
    }
}
