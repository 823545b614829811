package io.gatehouse.tests.python;

import static io.gatehouse.tests.python.PythonApps.get;
import static io.gatehouse.tests.python.PythonApps.send;
import static io.gatehouse.tests.python.PythonApps.uri;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.tests.support.Await;
import io.gatehouse.tests.support.RawHttp;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * PEP 3333 cases served through the HTTP listener by apps wrapped in wsgiref.validate.validator, with warnings
 * made errors: any complaint of the validator would turn into a 500 and a traceback, or an "Exception ignored" line.
 */
class WsgiValidatorTest extends PythonServerCase {
    @Override
    String apps() {
        String file = "wsgi-file: " + PythonApps.dir().resolve("validated_app.py");
        return PythonApps.app("validated", "/", file) + PythonApps.app("mounted", "/v", file);
    }

    @Override
    @AfterAll
    void stop() {
        super.stop();
        if (server != null) {
            assertValidatorQuiet();
        }
    }

    @AfterEach
    void noValidatorComplaint() {
        assertValidatorQuiet();
    }

    void assertValidatorQuiet() {
        String log = server.output();
        for (String sign : new String[] {"Warning", "AssertionError", "Exception ignored", "Traceback", "failed"}) {
            assertFalse(log.contains(sign), "'" + sign + "' in the log:\n" + log);
        }
    }

    @Test
    void getReceivesTheEnvironTheValidatorAccepts() {
        HttpResponse<String> r = get(port, "/get?a=1&b=%20");
        assertEquals(200, r.statusCode());
        assertEquals("REQUEST_METHOD=GET\nSCRIPT_NAME=\nPATH_INFO=/get\nQUERY_STRING=a=1&b=%20\nwsgi.url_scheme=http\n",
                r.body());
        assertEquals("text/plain", r.headers().firstValue("content-type").orElseThrow());
    }

    @Test
    void mountedAppSeesItsScriptName() {
        assertEquals("REQUEST_METHOD=GET\nSCRIPT_NAME=/v\nPATH_INFO=/get\nQUERY_STRING=\nwsgi.url_scheme=http\n",
                get(port, "/v/get").body());
    }

    @Test
    void headGetsTheHeadersWithoutTheBody() {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri(port, "/get"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(200, r.statusCode());
        assertEquals("", r.body());
        assertEquals("text/plain", r.headers().firstValue("content-type").orElseThrow());
        String raw = RawHttp.exchange(port, "HEAD /get HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
        assertTrue(raw.startsWith("HTTP/1.1 200 OK\r\n") && raw.endsWith("\r\n\r\n"), raw);
        assertFalse(raw.contains("REQUEST_METHOD"), raw);
    }

    @Test
    void postBodiesArriveWholeSmallAndLarge() throws Exception {
        for (int size : new int[] {1, 65536, 65537, 300_000}) {
            byte[] body = new byte[size];
            new Random(size).nextBytes(body);
            HttpResponse<String> r = send(HttpRequest.newBuilder(uri(port, "/post"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
            assertEquals(size + " " + sha + "\n", r.body(), "body of " + size + " bytes");
        }
    }

    @Test
    void inputSupportsReadlineReadlinesAndIteration() {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri(port, "/lines"))
                .POST(HttpRequest.BodyPublishers.ofString("first\nabcdef\nx\ny\nz")).build());
        assertEquals("[b'first\\n', b'abc', b'def\\n', [b'x\\n'], [b'y\\n', b'z']]", r.body());
    }

    @Test
    void generatorResponseIsStreamedChunked() {
        String raw = RawHttp.exchange(port, "GET /generator HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
        assertTrue(raw.startsWith("HTTP/1.1 200 OK\r\n"), raw);
        assertTrue(raw.contains("\r\nTransfer-Encoding: chunked\r\n"), raw);
        assertTrue(raw.endsWith("\r\n0\r\n\r\n"), raw);
        assertEquals("chunk 0\nchunk 1\nchunk 2\nchunk 3\nchunk 4\n", get(port, "/generator").body());
    }

    @Test
    void fileWrapperSendsTheWholeFile() {
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 4000; i++) {
            expected.append(String.format("line %05d of the wrapped file\n", i));
        }
        HttpResponse<String> r = get(port, "/file");
        assertEquals(200, r.statusCode());
        assertEquals(expected.toString(), r.body());
    }

    @Test
    void writeCallableSendsItsBytes() {
        assertEquals("written by write()\n", get(port, "/write").body());
    }

    @Test
    void emptyBodiesHaveLengthZero() {
        HttpResponse<String> r = get(port, "/empty");
        assertEquals(200, r.statusCode());
        assertEquals("", r.body());
        assertEquals("0", r.headers().firstValue("content-length").orElseThrow());
        String raw = RawHttp.exchange(port, "GET /no-content HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
        assertTrue(raw.startsWith("HTTP/1.1 204 No Content\r\n"), raw);
        assertFalse(raw.contains("Content-Length"), raw);
    }

    @Test
    void excInfoBeforeTheHeadersReplacesThem() {
        HttpResponse<String> r = get(port, "/exc-info");
        assertEquals(503, r.statusCode());
        assertEquals("7", r.headers().firstValue("retry-after").orElseThrow());
        assertEquals("replaced by exc_info\n", r.body());
        String raw = RawHttp.exchange(port, "GET /exc-info HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
        assertTrue(raw.startsWith("HTTP/1.1 503 Try Later\r\n"), raw);
    }

    @Test
    void wsgiErrorsGoToTheLogWithTheWorkerPid() {
        assertEquals("logged\n", get(port, "/errors").body());
        Await.until("wsgi.errors in the log", Duration.ofSeconds(10),
                () -> server.output().contains("]: validated app writes to wsgi.errors"));
        String line = server.output().lines().filter(l -> l.contains("validated app writes to wsgi.errors"))
                .findFirst().orElseThrow();
        assertTrue(line.matches(".* INFO \\[python\\] (validated|mounted)\\[\\d+\\]: validated app writes to "
                + "wsgi.errors"), line);
        assertFalse(new String(get(port, "/errors").body().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)
                .contains("wsgi.errors"), "never into the HTTP channel");
    }
}
