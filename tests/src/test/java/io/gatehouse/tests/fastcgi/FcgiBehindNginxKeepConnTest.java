package io.gatehouse.tests.fastcgi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gatehouse.tests.support.FrontServer;
import io.gatehouse.tests.support.Nginx;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** nginx fastcgi_pass with fastcgi_keep_conn on and an upstream keepalive pool: connections are reused. */
class FcgiBehindNginxKeepConnTest extends FcgiFrontServerCases {

    @Override
    FrontServer startFront(Path dir, int port) {
        return Nginx.start(dir, "upstream gatehouse { server 127.0.0.1:" + port + "; keepalive 4; }", """
                location / {
                    include /etc/nginx/fastcgi_params;
                    fastcgi_keep_conn on;
                    fastcgi_pass gatehouse;
                }
                """);
    }

    @Test
    void reusesOneConnectionForSequentialRequests() throws Exception {
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> r = client.send(request("/hello").GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals("Hello, world!\n", r.body(), diagnostics());
        }
        assertEquals(1, FcgiGatehouse.establishedTo(gatehousePort), "one kept FastCGI connection, idle in the pool");
    }
}
