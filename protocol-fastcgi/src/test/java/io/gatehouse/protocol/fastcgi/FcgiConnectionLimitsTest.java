package io.gatehouse.protocol.fastcgi;

import static io.gatehouse.protocol.fastcgi.FcgiRequestWriter.nginxParams;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.testing.LeakCheck;
import io.gatehouse.core.testing.ListenerHarness;
import io.gatehouse.spi.protocol.ConnectionLimits;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The engine's connection limits on a FastCGI listener: a BEGIN_REQUEST and PARAMS not complete within
 * header-timeout (closed, one WARN line), a kept connection idle past keepalive-timeout (closed quietly), a STDIN
 * stream stalled past body-timeout (408 in FastCGI's form: a CGI Status on STDOUT, then END_REQUEST).
 */
@ExtendWith(LeakCheck.class)
class FcgiConnectionLimitsTest {
    private static final FcgiProtocol PROTOCOL = new FcgiProtocol();

    private static ListenerHarness start(ConnectionLimits limits) {
        return ListenerHarness.start(PROTOCOL, FcgiOptions.DEFAULTS, limits, ListenerHarness.echo());
    }

    @Test
    void closesAConnectionWhoseParamsAreIncompleteAtHeaderTimeout() {
        byte[] request = new FcgiRequestWriter().begin(1, FcgiConstants.ROLE_RESPONDER, true)
                .params(1, nginxParams("GET", "/", "")).bytes();
        try (ListenerHarness h = start(ConnectionLimits.defaults(PROTOCOL).withHeaderTimeout(Duration.ofSeconds(2)))) {
            h.feed(Arrays.copyOf(request, request.length - 8)); // the empty PARAMS record that ends them is missing
            h.advance(1999);
            assertTrue(h.open());
            assertEquals(0, h.response().length);
            h.advance(1);
            assertFalse(h.open(), "no request to answer yet: closed");
            assertTrue(h.warnings().get(0).contains("header-timeout 2000 ms"), h.warnings()::toString);
            h.channel().finishAndReleaseAll(); // request 0's empty answer may still be queued: nothing to read in it
        }
    }

    @Test
    void closesAKeptConnectionIdlePastKeepaliveTimeout() {
        byte[] request = new FcgiRequestWriter().begin(1, FcgiConstants.ROLE_RESPONDER, true)
                .params(1, nginxParams("GET", "/", "")).stdinEnd(1).bytes();
        try (ListenerHarness h = start(ConnectionLimits.defaults(PROTOCOL).withKeepaliveTimeout(Duration.ofSeconds(3)))) {
            h.feed(request);
            assertArrayEquals(new int[] {0, FcgiConstants.REQUEST_COMPLETE},
                    FcgiRecordReader.parse(h.response()).endRequest(1));
            h.advance(2999);
            assertTrue(h.open(), "kept (FCGI_KEEP_CONN) until keepalive-timeout");
            h.advance(1);
            assertFalse(h.open());
            assertTrue(h.warnings().isEmpty(), "an idle connection closes quietly: " + h.warnings());
            assertFalse(h.channel().finish());
        }
    }

    @Test
    void answersStdinStalledPastBodyTimeoutWith408() {
        byte[] request = new FcgiRequestWriter().begin(1, FcgiConstants.ROLE_RESPONDER, true)
                .params(1, nginxParams("POST", "/", "1000")).stdin(1, new byte[500]).bytes();
        try (ListenerHarness h = start(ConnectionLimits.defaults(PROTOCOL).withBodyTimeout(Duration.ofSeconds(1)))) {
            h.feed(request);
            h.advance(999);
            assertEquals(0, h.response().length);
            h.advance(1);
            FcgiRecordReader answer = FcgiRecordReader.parse(h.response());
            assertTrue(answer.stdoutText(1).startsWith("Status: 408"), answer.records()::toString);
            assertEquals(1, h.warnings().size(), h.warnings()::toString);
            assertTrue(h.warnings().get(0).contains("request body stalled: no bytes within body-timeout 1000 ms"),
                    h.warnings()::toString);
            h.channel().close();
            assertFalse(h.channel().finish());
        }
    }
}
