package io.gatehouse.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.app.Headers;
import io.gatehouse.spi.exchange.Exchange;
import io.gatehouse.spi.protocol.Protocol;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A protocol's listener handed each {@link HostileHead} by an app: the client gets a 500 in the protocol's own form,
 * none of the head's bytes reach the wire (its encoder never sees it), and the log gets one line naming the app.
 * Each protocol module runs these cases with a request of its own.
 */
@ExtendWith(LeakCheck.class)
public abstract class SplitResponseCases<O extends Record> {
    private static final String APP = "hostile";

    /** The protocol under test. */
    protected abstract Protocol<O> protocol();

    /** Its default options. */
    protected abstract O options();

    /** A GET of / as a front server (or a client) sends it. */
    protected abstract byte[] request();

    /** An app that answers with {@code status}, {@code reason} and {@code headers}, then tries to write a body. */
    private static Consumer<Exchange> app(int status, String reason, Headers headers) {
        return exchange -> {
            exchange.appName(APP);
            exchange.response().head(status, reason, headers, -1);
            exchange.response().chunk(Unpooled.copiedBuffer(HostileHead.MARKER + " body", StandardCharsets.US_ASCII),
                    true);
            exchange.response().end();
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.gatehouse.core.testing.HostileHead#all")
    public void answers500InsteadOfAHeadThatCouldSplitTheResponse(HostileHead head) {
        try (LogCapture log = LogCapture.responses();
                ListenerHarness listener = ListenerHarness.start(protocol(), options(),
                        app(head.status(), head.reason(), head.headers()))) {
            listener.feed(request());
            String wire = listener.responseText();
            assertTrue(wire.contains("500 Internal Server Error\n"), wire);
            assertFalse(wire.contains(HostileHead.MARKER), wire);
            assertEquals(1, log.warnings().size(), log.toString());
            String line = log.warnings().get(0);
            assertTrue(line.startsWith("app '" + APP + "': response head refused, answered 500 instead: "), line);
            assertTrue(line.contains(head.problem()), line);
            assertEquals(0, listener.warnings().size(), "the listener itself saw nothing wrong");
            assertFalse(listener.channel().finish());
        }
    }

    /** The control: the same app with a valid head gets it, marker and all, to the wire. */
    @Test
    public void aValidHeadReachesTheWire() {
        try (LogCapture log = LogCapture.responses();
                ListenerHarness listener = ListenerHarness.start(protocol(), options(),
                        app(200, "Fine", Headers.of("X-Marker", HostileHead.MARKER + "\tand obs-text \u00e9")))) {
            listener.feed(request());
            String wire = listener.responseText();
            assertTrue(wire.contains(HostileHead.MARKER + "\tand obs-text \u00e9"), wire);
            assertTrue(wire.contains(HostileHead.MARKER + " body"), wire);
            assertEquals(0, log.warnings().size(), log.toString());
            assertFalse(listener.channel().finish());
        }
    }
}
