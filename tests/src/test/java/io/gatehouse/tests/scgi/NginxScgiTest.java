package io.gatehouse.tests.scgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.tests.frontend.AppFlavour;
import io.gatehouse.tests.frontend.GatewayCases;
import io.gatehouse.tests.support.FreePort;
import io.gatehouse.tests.support.GatehouseProcess;
import io.gatehouse.tests.support.Nginx;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;

/**
 * nginx → scgi_pass with Debian's scgi_params (which send DOCUMENT_URI, not PATH_INFO), and the faults nginx can
 * still show: a request without SCGI=1 (400) and a netstring over buffer-size (431), each with one log line.
 */
class NginxScgiTest extends GatewayCases {
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
                  - name: scgi-tcp
                    protocol: scgi
                    bind: 127.0.0.1:%d
                  - name: scgi-limited
                    protocol: scgi
                    bind: 127.0.0.1:%d
                    buffer-size: 1KiB
                """.formatted(port, limited));
        try {
            nginx = Nginx.start(root.resolve("nginx"), """
                    location / { include /etc/nginx/scgi_params; scgi_pass 127.0.0.1:%1$d; }
                    location /limited/ { include /etc/nginx/scgi_params; scgi_pass 127.0.0.1:%2$d; }
                    location /no-scgi/ {
                        scgi_param REQUEST_METHOD $request_method;
                        scgi_param REQUEST_URI $request_uri;
                        scgi_pass 127.0.0.1:%1$d;
                    }
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
        return "scgi";
    }

    @Test
    void requestWithoutScgiVarIsAnswered400ThroughNginx() throws Exception {
        HttpResponse<byte[]> r = send(request("/no-scgi/x"));
        assertEquals(400, r.statusCode(), text(r));
        assertLoggedOnce(gatehouse, "400 Bad Request: no SCGI var");
        assertTrue(gatehouse.output().matches("(?s).*\\[scgi-tcp\\] 127\\.0\\.0\\.1:\\d+: 400 Bad Request: no SCGI"
                + " var.*"), gatehouse.output());
        assertEquals(200, send(request("/app/x")).statusCode());
    }

    @Test
    void netstringOverBufferSizeIsAnswered431ThroughNginx() throws Exception {
        HttpResponse<byte[]> r = send(request("/limited/x").header("X-Big", "b".repeat(2000)));
        assertEquals(431, r.statusCode(), text(r));
        assertLoggedOnce(gatehouse, "exceeds buffer-size 1024");
    }
}
