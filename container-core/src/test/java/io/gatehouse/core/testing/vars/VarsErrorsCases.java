package io.gatehouse.core.testing.vars;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.gatehouse.core.testing.Decoded;
import io.gatehouse.core.testing.Feed;
import io.gatehouse.core.testing.Fixtures.Fixture;
import io.gatehouse.core.testing.ListenerHarness;
import io.gatehouse.spi.exchange.EnvironHead;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed requests (the fixtures in {@code /<protocol>/invalid}): each refused with its status, whole, byte by
 * byte and in random splits; what the decoder does with the rest of the connection; and the listener's answer.
 */
public abstract class VarsErrorsCases<O extends Record, W extends VarsRequestWriter<W>> extends VarsCodecCases<O, W> {

    protected VarsErrorsCases(VarsProtocol<O, W> wire) {
        super(wire);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("invalidFixtures")
    public void refusesMalformedRequestsWithAFailedHead(Fixture fixture, Feed feed) {
        List<Decoded> all = Decoded.feed(channel, fixture.input(), feed);
        assertEquals(1, all.size());
        EnvironHead head = all.get(0).head();
        assertTrue(head.isFailed(), "accepted: " + head);
        assertEquals(Integer.parseInt(fixture.directive("status")), head.failure().fault().status());
        assertTrue(head.failure().getMessage().contains(fixture.directive("detail")), head.failure().getMessage());
        assertFalse(head.keepAlive());
    }

    @Test
    public void passesTheBodyOfARefusedRequestOnToBeDrainedThenIgnoresTheRest() {
        assumeTrue(wire.refused() != null, "no refusal with a known body length");
        List<Decoded> all = Decoded.feed(channel, wire.refused().body(new byte[5000]).bytes(), Feed.RANDOM_SPLITS);
        assertEquals(1, all.size());
        assertTrue(all.get(0).head().isFailed());
        assertEquals(5000, all.get(0).body().length);
        assertTrue(all.get(0).ended());
        channel.writeInbound(Unpooled.wrappedBuffer(wire.nginx("GET", "/").bytes()));
        assertEquals(List.of(), Decoded.drain(channel));
    }

    @Test
    public void skipsEverythingAfterARefusedRequestWhoseBodyLengthIsUnknown() {
        byte[] bad = wire.nginx("GET", "/").set("CONTENT_LENGTH", "5x").bytes();
        List<Decoded> all = Decoded.feed(channel, bad, Feed.RANDOM_SPLITS);
        assertEquals(1, all.size());
        assertEquals(0, all.get(0).head().contentLength());
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[100]));
        assertEquals(List.of(), Decoded.drain(channel));
    }

    /** A request refused with its body length known, and one refused for a CONTENT_LENGTH that is no number. */
    public Stream<Arguments> refusals() {
        Arguments notANumber = Arguments.of(wire.nginx("GET", "/").set("CONTENT_LENGTH", "x1").bytes(),
                "CONTENT_LENGTH 'x1' is not a number");
        return wire.refused() == null ? Stream.of(notANumber)
                : Stream.of(Arguments.of(wire.refused().bytes(), wire.refusedDetail()), notANumber);
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("refusals")
    public void answersARefusedRequestInTheProtocolsFormAndClosesWithOneLogLine(byte[] bad, String detail) {
        try (ListenerHarness listener = ListenerHarness.start(wire.protocol(), wire.defaults(),
                ListenerHarness.echo())) {
            listener.feed(bad);
            assertEquals(wire.statusLine("HTTP/1.1", "400 Bad Request") + "\r\nContent-Type: text/plain; "
                    + "charset=utf-8\r\nContent-Length: 16\r\n\r\n400 Bad Request\n", listener.responseText());
            assertFalse(listener.open());
            assertEquals(List.of("[test] embedded (client 192.0.2.7): 400 Bad Request: " + detail),
                    listener.warnings());
            assertFalse(listener.channel().finish());
        }
    }
}
