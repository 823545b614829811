package io.gatehouse.tests.fastcgi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gatehouse.tests.frontend.FrontServerCase;
import io.gatehouse.tests.frontend.FrontServerRows;
import io.gatehouse.tests.support.TcpConnections;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** nginx fastcgi_pass with fastcgi_keep_conn on and an upstream keepalive pool: connections are reused. */
@FrontServerRows(FrontServerCase.NGINX_FASTCGI_KEEP_CONN)
class FcgiBehindNginxKeepConnTest extends FcgiFrontServerCases {
    @Test
    void reusesOneConnectionForSequentialRequests() throws Exception {
        for (int i = 0; i < 5; i++) {
            HttpResponse<byte[]> r = send(request("/hello"));
            assertEquals("Hello, world!\n", text(r), failure(r));
        }
        assertEquals(1, TcpConnections.establishedTo(site.port()), "one kept FastCGI connection, idle in the pool");
    }
}
