package io.gatehouse.tests.uwsgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.tests.frontend.AppFlavour;
import io.gatehouse.tests.frontend.GatewayCases;
import io.gatehouse.tests.support.FreePort;
import io.gatehouse.tests.support.GatehouseProcess;
import io.gatehouse.tests.support.Nginx;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;

/**
 * nginx → uwsgi_pass over TCP with Debian's uwsgi_params, and the faults a front server can still show: an
 * oversized vars block (431), a body over limit-post (413), a packet without REQUEST_METHOD (400), and a packet that
 * is no request (closed, so nginx says 502), each with one log line and no harm to other connections.
 */
class NginxUwsgiTcpTest extends GatewayCases {
    @TempDir
    static Path dir;
    static GatehouseProcess gatehouse;
    static Nginx nginx;

    @BeforeParameterizedClassInvocation
    static void start(AppFlavour apps) {
        int port = FreePort.pick();
        int limited = FreePort.pick();
        Path root = dir.resolve(apps.name().toLowerCase());
        gatehouse = startGatehouse(root.resolve("gatehouse"), apps, """
                listeners:
                  - name: uwsgi-tcp
                    protocol: uwsgi
                    bind: 127.0.0.1:%d
                  - name: uwsgi-limited
                    protocol: uwsgi
                    bind: 127.0.0.1:%d
                    buffer-size: 1KiB
                    limit-post: 1KiB
                """.formatted(port, limited));
        try {
            nginx = Nginx.start(root.resolve("nginx"), """
                    location / { include /etc/nginx/uwsgi_params; uwsgi_pass 127.0.0.1:%1$d; }
                    location /limited/ { include /etc/nginx/uwsgi_params; uwsgi_pass 127.0.0.1:%2$d; }
                    location /no-method/ {
                        uwsgi_param PATH_INFO $document_uri;
                        uwsgi_param REQUEST_URI $request_uri;
                        uwsgi_pass 127.0.0.1:%1$d;
                    }
                    location /ping/ { include /etc/nginx/uwsgi_params; uwsgi_modifier1 100; uwsgi_pass 127.0.0.1:%1$d; }
                    """.formatted(port, limited));
        } catch (RuntimeException | AssertionError e) {
            gatehouse.close();
            throw e;
        }
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        try {
            nginx.close();
        } finally {
            gatehouse.close();
        }
    }

    @Override
    protected String base() {
        return nginx.url();
    }

    @Override
    protected String protocol() {
        return "uwsgi";
    }

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
    void packetWithoutRequestMethodIsAnswered400ThroughNginx() throws Exception {
        HttpResponse<byte[]> r = send(request("/no-method/x"));
        assertEquals(400, r.statusCode(), text(r));
        assertLoggedOnce(gatehouse, "400 Bad Request: missing REQUEST_METHOD");
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
