package io.gatehouse.tests.fastcgi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gatehouse.tests.frontend.FrontServerCase;
import io.gatehouse.tests.frontend.FrontServerRows;
import io.gatehouse.tests.support.Await;
import io.gatehouse.tests.support.TcpConnections;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** nginx fastcgi_pass with fastcgi_keep_conn off (its default): one connection per request, closed by Gatehouse. */
@FrontServerRows(FrontServerCase.NGINX_FASTCGI)
class FcgiBehindNginxTest extends FcgiFrontServerCases {
    @Test
    void closesEachConnectionAfterItsResponse() throws Exception {
        for (int i = 0; i < 3; i++) {
            HttpResponse<byte[]> r = send(request("/hello"));
            assertEquals("Hello, world!\n", text(r), failure(r));
        }
        Await.until("no FastCGI connection left open", Duration.ofSeconds(5),
                () -> TcpConnections.establishedTo(site.port()) == 0);
    }
}
