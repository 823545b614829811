package io.gatehouse.tests.uwsgi;

import static io.gatehouse.tests.support.LogLines.assertLoggedOnce;
import static io.gatehouse.tests.support.LogLines.awaitCount;
import static io.gatehouse.tests.support.LogLines.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.tests.python.PythonApps;
import io.gatehouse.tests.support.FreePort;
import io.gatehouse.tests.support.GatehouseProcess;
import io.gatehouse.tests.support.Nginx;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What users of uWSGI rely on, behind nginx's uwsgi_pass: a location with only a few uwsgi_param lines reaches the
 * app with uWSGI's defaults and one warning per listener; uWSGI's magic variables are never obeyed and are reported
 * once; a bare bytes body is served (one warning per worker process) and a str body is a 500; and issue 13's
 * opening case, Flask wrapped in wsgiref.validate.validator behind stock nginx, takes POSTs with bodies (a form and
 * uploads; not request.get_json(), whose read() without a size the validator refuses whatever the server). Python
 * apps under one Gatehouse with two uwsgi listeners, behind one nginx.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NginxUwsgiEnvironTest {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private static final String MISSING_VARS = "left out CGI variables";
    /** What a failing app, or a complaint of the validator, leaves in the log. */
    private static final List<String> COMPLAINTS = List.of("failed", "Traceback", "AssertionError", "WSGIWarning",
            "Exception ignored");
    private static final String MAGIC_VARS = "uWSGI magic variables are not obeyed and were ignored";
    private GatehouseProcess gatehouse;
    private Nginx nginx;

    @BeforeAll
    void start(@TempDir Path dir) {
        int one = FreePort.pick();
        int two = FreePort.pick();
        Path python = PythonApps.dir();
        String idioms = "wsgi-file: " + python.resolve("uwsgi_idioms_app.py") + "\ncallable: ";
        String report = "wsgi-file: " + python.resolve("validated_app.py") + "\ncallable: report\n";
        gatehouse = GatehouseProcess.start(dir.resolve("gatehouse"), """
                listeners:
                  - {name: one, protocol: uwsgi, bind: "127.0.0.1:%d"}
                  - {name: two, protocol: uwsgi, bind: "127.0.0.1:%d"}
                apps:
                %s""".formatted(one, two, (PythonApps.app("report", "/", report)
                + PythonApps.app("flask", "/flask", PythonApps.module("validated_flask_app", ""))
                + PythonApps.app("bytes", "/bytes", idioms + "bare_bytes\nworkers: 2\nthreads: 2\n")
                + PythonApps.app("text", "/text", idioms + "text\n")).indent(2)));
        try {
            nginx = Nginx.start(dir.resolve("nginx"), """
                    location / { include /etc/nginx/uwsgi_params; uwsgi_pass 127.0.0.1:%1$d; }
                    location /params-only/ {
                        uwsgi_param REQUEST_URI $request_uri;
                        uwsgi_param REMOTE_ADDR $remote_addr;
                        uwsgi_pass 127.0.0.1:%1$d;
                    }
                    location /params-only-two/ {
                        uwsgi_param REQUEST_URI $request_uri;
                        uwsgi_pass 127.0.0.1:%2$d;
                    }
                    location /magic/ {
                        include /etc/nginx/uwsgi_params;
                        uwsgi_param UWSGI_CHDIR /tmp;
                        uwsgi_param UWSGI_SETENV UWSGI_TEST=obeyed;
                        uwsgi_pass 127.0.0.1:%1$d;
                    }
                    """.formatted(one, two));
        } catch (RuntimeException | AssertionError e) {
            gatehouse.close();
            throw e;
        }
    }

    @AfterAll
    void stop() {
        try (GatehouseProcess g = gatehouse; Nginx n = nginx) {
            // both closed, nginx first
        }
    }

    @Test
    void locationsWithOnlyUwsgiParamLinesGetTheDefaultsAndOneWarningPerListener() throws Exception {
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> r = get("/params-only/x?q=" + i);
            assertEquals(200, r.statusCode(), "the validator takes the completed environ: " + r.body());
            assertEquals("GET", value(r, "REQUEST_METHOD"), r.body());
            assertEquals("HTTP/1.0", value(r, "SERVER_PROTOCOL"), r.body());
            assertEquals("/params-only/x", value(r, "PATH_INFO"), "from REQUEST_URI: " + r.body());
            assertEquals("q=" + i, value(r, "QUERY_STRING"), "from REQUEST_URI: " + r.body());
            assertEquals("127.0.0.1", value(r, "SERVER_NAME"), "from the Host nginx passed: " + r.body());
            assertEquals(Integer.toString(nginx.port()), value(r, "SERVER_PORT"), r.body());
            assertEquals(200, get("/params-only-two/y").statusCode());
        }
        awaitCount(gatehouse, MISSING_VARS, 2);
        String expected = "(?s).* WARN .*listener '%s': the front server at \\S+ left out CGI variables; defaults "
                + "used: REQUEST_METHOD=GET, SERVER_PROTOCOL=HTTP/1\\.0, SERVER_NAME=127\\.0\\.0\\.1, SERVER_PORT="
                + nginx.port() + "\\. Its config probably lacks 'include uwsgi_params;' \\(nginx\\) or the like.*";
        assertTrue(gatehouse.output().matches(expected.formatted("one")), gatehouse.output());
        assertTrue(gatehouse.output().matches(expected.formatted("two")), gatehouse.output());
        assertEquals(200, get("/x").statusCode(), "the stock location");
        assertEquals(2, count(gatehouse.output(), MISSING_VARS), "once per listener: " + gatehouse.output());
        assertQuiet("report");
    }

    @Test
    void magicVariablesAreNeverObeyedAndReportedOnce() throws Exception {
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> r = get("/magic/x");
            assertEquals(200, r.statusCode(), r.body());
            assertNotEquals("/tmp", value(r, "process.cwd"), "UWSGI_CHDIR is not obeyed: " + r.body());
            assertEquals(PythonApps.dir().toString(), value(r, "process.cwd"), r.body());
            assertEquals("", value(r, "process.env.UWSGI_TEST"), "UWSGI_SETENV is not obeyed: " + r.body());
        }
        assertLoggedOnce(gatehouse, MAGIC_VARS);
        assertTrue(gatehouse.output().matches("(?s).* WARN .*listener 'one': " + MAGIC_VARS + ": UWSGI_CHDIR, "
                + "UWSGI_SETENV \\(from \\S+; said once per listener\\).*"), gatehouse.output());
    }

    @Test
    void bareBytesBodyIsServedWithOneWarningPerWorkerProcess() throws Exception {
        Set<String> pids = new HashSet<>();
        for (int i = 0; i < 12; i++) {
            HttpResponse<String> r = get("/bytes");
            assertEquals(200, r.statusCode(), r.body());
            assertTrue(r.body().matches("bare bytes from \\d+\n"), r.body());
            pids.add(r.body().trim());
        }
        String warning = "returned a bare bytes object as its body; it is served as one chunk";
        awaitCount(gatehouse, warning, pids.size());
        Thread.sleep(300);
        assertEquals(pids.size(), count(gatehouse.output(), warning), "one per worker process that served it, "
                + pids + ":\n" + gatehouse.output());
    }

    @Test
    void strBodyIsA500ThatSaysWhatToReturn() throws Exception {
        HttpResponse<String> r = get("/text");
        assertEquals(500, r.statusCode(), r.body());
        assertFalse(r.body().contains("text from"), r.body());
        assertLoggedOnce(gatehouse, "the application returned a str as its body; PEP 3333 wants an iterable of "
                + "bytes, e.g. [body.encode()]");
    }

    @Test
    void validatedFlaskTakesPostsWithBodiesBehindStockNginx() throws Exception {
        HttpResponse<String> form = send(post("/flask/form", "application/x-www-form-urlencoded",
                HttpRequest.BodyPublishers.ofString("name=Ada+Lovelace&city=London")));
        assertEquals(200, form.statusCode(), form.body());
        assertEquals("name=Ada Lovelace city=London\n", form.body());
        byte[] upload = new byte[1_000_000];
        new Random(5).nextBytes(upload);
        String answer = upload.length + " " + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(upload)) + "\n";
        HttpResponse<String> sized = send(post("/flask/upload", "application/octet-stream",
                HttpRequest.BodyPublishers.ofByteArray(upload)));
        assertEquals(answer, sized.body());
        HttpResponse<String> chunked = send(post("/flask/upload", "application/octet-stream",
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(upload))));
        assertEquals(answer, chunked.body(), "chunked: nginx passes it on with its length");
        assertQuiet("flask");
    }

    /** No failure of {@code app} in the log, and none of the validator's complaints in what it printed. */
    private void assertQuiet(String app) {
        for (String line : gatehouse.output().lines().toList()) {
            if (line.contains("[python] " + app + "[") || line.contains("app '" + app + "'")) {
                for (String sign : COMPLAINTS) {
                    assertFalse(line.contains(sign), "'" + sign + "' from " + app + ":\n" + gatehouse.output());
                }
            }
        }
    }

    /** The value of {@code key} in the report app's answer ({@code KEY=value} lines), or null. */
    private static String value(HttpResponse<String> r, String key) {
        return r.body().lines().filter(l -> l.startsWith(key + "=")).map(l -> l.substring(key.length() + 1))
                .findFirst().orElse(null);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).GET());
    }

    private HttpRequest.Builder post(String path, String type, HttpRequest.BodyPublisher body) {
        return HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).header("Content-Type", type)
                .POST(body);
    }

    private URI uri(String path) {
        return URI.create(nginx.url() + path);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
