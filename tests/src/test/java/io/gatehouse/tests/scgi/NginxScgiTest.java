package io.gatehouse.tests.scgi;

import static io.gatehouse.tests.support.LogLines.assertLoggedOnce;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.tests.frontend.FrontServerCase;
import io.gatehouse.tests.frontend.FrontServerCases;
import io.gatehouse.tests.frontend.FrontServerRows;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * nginx → scgi_pass with Debian's scgi_params (which send DOCUMENT_URI, not PATH_INFO), and the faults nginx can
 * still show: a request without SCGI=1 (400) and a netstring over buffer-size (431), each with one log line.
 */
@FrontServerRows(FrontServerCase.NGINX_SCGI)
class NginxScgiTest extends FrontServerCases {
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
