package io.gatehouse.protocol.scgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.testing.Decoded;
import io.gatehouse.core.testing.Feed;
import io.gatehouse.core.testing.Fixtures;
import io.gatehouse.core.testing.Fixtures.Fixture;
import io.gatehouse.core.testing.ListenerHarness;
import io.gatehouse.spi.exchange.EnvironHead;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Malformed netstrings and headers: each refused with its status, whole, byte by byte and in random splits. */
class ScgiErrorsTest {
    private final EmbeddedChannel channel = new EmbeddedChannel(new ScgiDecoder(ScgiOptions.DEFAULTS));

    @AfterEach
    void finish() {
        assertFalse(channel.finish());
    }

    static Stream<Arguments> invalidFixtures() {
        return Fixtures.load(ScgiErrorsTest.class, "/scgi/invalid").stream()
                .flatMap(f -> Stream.of(Feed.values()).map(feed -> Arguments.of(f, feed)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("invalidFixtures")
    void refusesMalformedRequestsWithAFailedHead(Fixture fixture, Feed feed) {
        List<Decoded> all = Decoded.feed(channel, fixture.input(), feed);
        assertEquals(1, all.size());
        EnvironHead head = all.get(0).head();
        assertTrue(head.isFailed(), "accepted: " + head);
        assertEquals(Integer.parseInt(fixture.directive("status")), head.failure().fault().status());
        assertTrue(head.failure().getMessage().contains(fixture.directive("detail")), head.failure().getMessage());
        assertFalse(head.keepAlive());
    }

    @Test
    void passesTheBodyOfARefusedRequestOnToBeDrainedThenIgnoresTheRest() {
        byte[] bad = ScgiRequestWriter.nginx("GET", "/").remove("SCGI").body(new byte[5000]).bytes();
        List<Decoded> all = Decoded.feed(channel, bad, Feed.RANDOM_SPLITS);
        assertEquals(1, all.size());
        assertTrue(all.get(0).head().isFailed());
        assertEquals(5000, all.get(0).body().length);
        assertTrue(all.get(0).ended());
        channel.writeInbound(Unpooled.wrappedBuffer(ScgiRequestWriter.nginx("GET", "/").bytes()));
        assertEquals(List.of(), Decoded.drain(channel));
    }

    @Test
    void skipsEverythingAfterARefusedRequestWhoseBodyLengthIsUnknown() {
        byte[] bad = ScgiRequestWriter.nginx("GET", "/").set("CONTENT_LENGTH", "5x").bytes();
        List<Decoded> all = Decoded.feed(channel, bad, Feed.RANDOM_SPLITS);
        assertEquals(1, all.size());
        assertEquals(0, all.get(0).head().contentLength());
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[100]));
        assertEquals(List.of(), Decoded.drain(channel));
    }

    @Test
    void answersARefusedRequestWithACgiStatusAndClosesWithOneLogLine() {
        byte[] bad = ScgiRequestWriter.nginx("GET", "/").remove("SCGI").bytes();
        try (ListenerHarness listener = ListenerHarness.start(new ScgiProtocol(), ScgiOptions.DEFAULTS,
                ListenerHarness.echo())) {
            listener.feed(bad, Feed.WHOLE);
            assertEquals("Status: 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\n"
                    + "Content-Length: 16\r\n\r\n400 Bad Request\n", listener.responseText());
            assertFalse(listener.open());
            assertEquals(List.of("[test] embedded (client 192.0.2.7): 400 Bad Request: no SCGI var"),
                    listener.warnings());
            assertFalse(listener.channel().finish());
        }
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
