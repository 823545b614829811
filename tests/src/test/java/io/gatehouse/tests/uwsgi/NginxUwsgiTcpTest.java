package io.gatehouse.tests.uwsgi;

import static io.gatehouse.tests.support.LogLines.assertLoggedOnce;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.tests.frontend.FrontServerCase;
import io.gatehouse.tests.frontend.FrontServerCases;
import io.gatehouse.tests.frontend.FrontServerRows;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * nginx → uwsgi_pass over TCP with Debian's uwsgi_params, and the faults a front server can still show: an
 * oversized vars block (431), a body over limit-post (413), and a packet that is no request (closed, so nginx says
 * 502), each with one log line and no harm to other connections; and a location without {@code include
 * uwsgi_params}, which reaches the app with uWSGI's defaults and one warning.
 */
@FrontServerRows(FrontServerCase.NGINX_UWSGI_TCP)
class NginxUwsgiTcpTest extends FrontServerCases {
    @Test
    void varsBlockOverBufferSizeIsAnswered431ThroughNginx() throws Exception {
        CompletableFuture<HttpResponse<InputStream>> other = CLIENT.sendAsync(request("/stream?bytes=20000000")
                .build(), HttpResponse.BodyHandlers.ofInputStream());
        HttpResponse<byte[]> r = send(request("/limited/x").header("X-Big", "b".repeat(2000)));
        assertEquals(431, r.statusCode(), text(r));
        assertLoggedOnce(gatehouse, "431 Request Header Fields Too Large: vars block of");
        assertTrue(gatehouse.output().matches("(?s).*\\[uwsgi-limited\\] 127\\.0\\.0\\.1:\\d+: 431 Request Header"
                + " Fields Too Large: vars block of \\d+ bytes exceeds buffer-size 1024.*"), gatehouse.output());
        long received = other.get(60, TimeUnit.SECONDS).body().transferTo(OutputStream.nullOutputStream());
        assertEquals(20_000_000L, received, "a connection beside the refused one is untouched");
    }

    @Test
    void bodyOverLimitPostIsAnswered413ThroughNginx() throws Exception {
        HttpResponse<byte[]> r = send(request("/limited/x").POST(HttpRequest.BodyPublishers.ofByteArray(
                new byte[1025])));
        assertEquals(413, r.statusCode(), text(r));
        assertLoggedOnce(gatehouse, "413 Content Too Large: CONTENT_LENGTH 1025 exceeds limit-post 1024");
        for (int i = 0; i < 3; i++) {
            HttpResponse<byte[]> large = send(request("/limited/x").POST(HttpRequest.BodyPublishers.ofByteArray(
                    new byte[10_000_000])));
            assertEquals(413, large.statusCode(), "the body is drained, so nginx reads the answer, not a reset");
            assertEquals("413 Content Too Large\n", text(large));
        }
        HttpResponse<byte[]> ok = send(request("/limited/x").POST(HttpRequest.BodyPublishers.ofByteArray(
                new byte[1024])));
        assertEquals(404, ok.statusCode(), "1024 bytes pass the limit (and find no app on that listener)");
    }

    @Test
    void locationWithOnlyUwsgiParamLinesReachesTheAppWithUwsgisDefaults() throws Exception {
        for (int i = 0; i < 3; i++) {
            HttpResponse<byte[]> r = send(request("/app/params-only/x?q=" + i));
            assertEquals(200, r.statusCode(), failure(r));
            String env = text(r);
            assertEquals("GET", environ(env, "REQUEST_METHOD"), env);
            assertEquals("HTTP/1.0", environ(env, "SERVER_PROTOCOL"), env);
            assertEquals("q=" + i, environ(env, "QUERY_STRING"), "from REQUEST_URI: " + env);
            assertEquals("/params-only/x", environ(env, "PATH_INFO"), env);
        }
        assertLoggedOnce(gatehouse, "left out CGI variables");
        assertTrue(gatehouse.output().matches("(?s).* WARN .*listener 'uwsgi-tcp': the front server at \\S+ left out "
                + "CGI variables; defaults used: REQUEST_METHOD=GET, SERVER_PROTOCOL=HTTP/1\\.0, .*'include "
                + "uwsgi_params;'.*"), gatehouse.output());
    }

    @Test
    void packetThatIsNoRequestClosesOnlyItsConnection() throws Exception {
        HttpResponse<byte[]> r = send(request("/ping/x"));
        assertEquals(502, r.statusCode(), "nginx sees the connection close without an answer");
        assertLoggedOnce(gatehouse, "501 Not Implemented: uwsgi packet with modifier1 100 is not an HTTP request");
        assertEquals(200, send(request("/app/x")).statusCode());
        gatehouse.assertAlive();
    }
}
