package io.gatehouse.tests.fastcgi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gatehouse.tests.support.Await;
import io.gatehouse.tests.support.FrontServer;
import io.gatehouse.tests.support.Nginx;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** nginx fastcgi_pass with fastcgi_keep_conn off (its default): one connection per request, closed by Gatehouse. */
class FcgiBehindNginxTest extends FcgiFrontServerCases {

    @Override
    FrontServer startFront(Path dir, int port) {
        return Nginx.start(dir, """
                location / {
                    include /etc/nginx/fastcgi_params;
                    fastcgi_keep_conn off;
                    fastcgi_pass 127.0.0.1:%d;
                }
                """.formatted(port));
    }

    @Test
    void closesEachConnectionAfterItsResponse() throws Exception {
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> r = client.send(request("/hello").GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals("Hello, world!\n", r.body(), diagnostics());
        }
        Await.until("no FastCGI connection left open", Duration.ofSeconds(5),
                () -> FcgiGatehouse.establishedTo(gatehousePort) == 0);
    }
}
