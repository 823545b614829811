package io.gatehouse.protocol.scgi;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.testing.Feed;
import io.gatehouse.core.testing.ListenerHarness;
import io.gatehouse.core.testing.vars.VarsErrorsCases;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Malformed netstrings and headers (the shared cases), and a bad netstring answered before its block arrives. */
class ScgiErrorsTest extends VarsErrorsCases<ScgiOptions, ScgiRequestWriter> {

    ScgiErrorsTest() {
        super(new ScgiUnderTest());
    }

    @Test
    void answersABadNetstringBeforeItsBlockArrives() {
        try (ListenerHarness listener = ListenerHarness.start(new ScgiProtocol(), ScgiOptions.DEFAULTS,
                ListenerHarness.echo())) {
            listener.feed("12x".getBytes(StandardCharsets.US_ASCII), Feed.BYTE_BY_BYTE);
            assertTrue(listener.responseText().startsWith("Status: 400 Bad Request\r\n"));
            assertFalse(listener.open());
            assertTrue(listener.warnings().get(0).endsWith("netstring length has a non-digit byte 0x78"),
                    listener.warnings().get(0));
            assertFalse(listener.channel().finish());
        }
    }
}
