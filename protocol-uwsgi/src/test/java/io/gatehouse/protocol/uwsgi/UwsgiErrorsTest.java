package io.gatehouse.protocol.uwsgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.testing.Decoded;
import io.gatehouse.core.testing.Feed;
import io.gatehouse.core.testing.Fixtures;
import io.gatehouse.core.testing.Fixtures.Fixture;
import io.gatehouse.core.testing.ListenerHarness;
import io.gatehouse.spi.exchange.EnvironHead;
import io.gatehouse.spi.exchange.Fault;
import io.gatehouse.spi.exchange.ProtocolException;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Malformed packets: each refused with its status, whole, byte by byte and in random splits. */
class UwsgiErrorsTest {
    private final EmbeddedChannel channel = new EmbeddedChannel(new UwsgiDecoder(UwsgiOptions.DEFAULTS));

    @AfterEach
    void finish() {
        assertFalse(channel.finish());
    }

    static Stream<Arguments> invalidFixtures() {
        return Fixtures.load(UwsgiErrorsTest.class, "/uwsgi/invalid").stream()
                .flatMap(f -> Stream.of(Feed.values()).map(feed -> Arguments.of(f, feed)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("invalidFixtures")
    void refusesMalformedPacketsWithAFailedHead(Fixture fixture, Feed feed) {
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
        byte[] bad = UwsgiRequestWriter.nginx("GET", "/").remove("REQUEST_METHOD").body(new byte[5000]).bytes();
        List<Decoded> all = Decoded.feed(channel, bad, Feed.RANDOM_SPLITS);
        assertEquals(1, all.size());
        assertTrue(all.get(0).head().isFailed());
        assertEquals(5000, all.get(0).body().length);
        assertTrue(all.get(0).ended());
        channel.writeInbound(Unpooled.wrappedBuffer(UwsgiRequestWriter.nginx("GET", "/").bytes()));
        assertEquals(List.of(), Decoded.drain(channel));
    }

    @Test
    void skipsEverythingAfterARefusedRequestWhoseBodyLengthIsUnknown() {
        byte[] bad = UwsgiRequestWriter.nginx("GET", "/").set("CONTENT_LENGTH", "5x").bytes();
        List<Decoded> all = Decoded.feed(channel, bad, Feed.RANDOM_SPLITS);
        assertEquals(1, all.size());
        assertEquals(0, all.get(0).head().contentLength());
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[100]));
        assertEquals(List.of(), Decoded.drain(channel));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 10, 17, 22, 72, 100, 101, 111, 173, 255})
    void closesOnPacketsThatAreNoRequest(int modifier1) {
        byte[] packet = UwsgiRequestWriter.empty().modifiers(modifier1, 0).bytes();
        DecoderException e = assertThrows(DecoderException.class,
                () -> channel.writeInbound(Unpooled.wrappedBuffer(packet)));
        ProtocolException cause = (ProtocolException) e.getCause();
        assertEquals(Fault.NOT_IMPLEMENTED, cause.fault());
        assertTrue(cause.getMessage().contains("modifier1 " + modifier1), cause.getMessage());
        assertEquals(List.of(), Decoded.drain(channel));
    }

    @Test
    void answersARefusedPacketInHttpFormAndClosesWithOneLogLine() {
        byte[] bad = UwsgiRequestWriter.nginx("GET", "/").set("CONTENT_LENGTH", "x1").bytes();
        try (ListenerHarness listener = ListenerHarness.start(new UwsgiProtocol(), UwsgiOptions.DEFAULTS,
                ListenerHarness.echo())) {
            listener.feed(bad, Feed.WHOLE);
            assertEquals("HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\n"
                    + "Content-Length: 16\r\n\r\n400 Bad Request\n", listener.responseText());
            assertFalse(listener.open());
            assertEquals(1, listener.warnings().size(), listener.warnings().toString());
            String line = listener.warnings().get(0);
            assertTrue(line.contains("[test] embedded (client 192.0.2.7): 400 Bad Request: CONTENT_LENGTH 'x1' is not"
                    + " a number"), line);
            assertFalse(listener.channel().finish());
        }
    }

    @Test
    void closesWithoutAnswerOnAPacketThatIsNoRequest() {
        try (ListenerHarness listener = ListenerHarness.start(new UwsgiProtocol(), UwsgiOptions.DEFAULTS,
                ListenerHarness.echo())) {
            listener.feed(UwsgiRequestWriter.empty().modifiers(100, 0).bytes(), Feed.WHOLE);
            assertEquals("", listener.responseText());
            assertFalse(listener.open());
            assertEquals(1, listener.warnings().size());
            assertTrue(listener.warnings().get(0).contains("501 Not Implemented: uwsgi packet with modifier1 100"),
                    listener.warnings().get(0));
            assertFalse(listener.channel().finish());
        }
    }

    @Test
    void answersInTheRequestsHttpVersion() {
        byte[] bad = UwsgiRequestWriter.nginx("GET", "/").set("SERVER_PROTOCOL", "HTTP/1.0")
                .set("CONTENT_LENGTH", "-5").bytes();
        try (ListenerHarness listener = ListenerHarness.start(new UwsgiProtocol(), UwsgiOptions.DEFAULTS,
                ListenerHarness.echo())) {
            listener.feed(bad, Feed.BYTE_BY_BYTE);
            String text = listener.responseText();
            assertTrue(text.startsWith("HTTP/1.0 400 Bad Request\r\n"), text);
            assertTrue(new String(bad, StandardCharsets.ISO_8859_1).contains("HTTP/1.0"));
            assertFalse(listener.channel().finish());
        }
    }
}
