package io.gatehouse.tests.ajp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.gatehouse.tests.frontend.FrontServerCase;
import io.gatehouse.tests.frontend.FrontServerRows;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * The AJP listener behind Apache's mod_jk: a pooled worker with the secret, CPING before each request and on idle
 * connections, packets of 65536 bytes on both sides, and a header-timeout of 2 s that idle pooled connections must
 * outlive.
 */
@FrontServerRows(FrontServerCase.APACHE_JK)
class AjpBehindModJkTest extends AjpThroughApache {
    @Test
    void keepsPooledConnectionsThroughIdleCpingsPastTheHeaderTimeout() throws Exception {
        assertEquals(200, get("/app/before").statusCode());
        Thread.sleep(5000);
        HttpResponse<byte[]> after = get("/app/after");
        assertEquals(200, after.statusCode(), failure(after));
        // the header timeout's own log line, not any "408" (a port number in the ready line can hold one)
        assertFalse(gatehouse.output().contains("not complete within header-timeout"),
                "an idle connection was timed out:\n" + gatehouse.output());
    }
}
