package io.gatehouse.protocol.uwsgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.testing.Decoded;
import io.gatehouse.core.testing.Feed;
import io.gatehouse.core.testing.ListenerHarness;
import io.gatehouse.core.testing.vars.VarsErrorsCases;
import io.gatehouse.spi.exchange.Fault;
import io.gatehouse.spi.exchange.ProtocolException;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.DecoderException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Malformed packets (the shared cases), packets that are no request, and answers in the request's version. */
class UwsgiErrorsTest extends VarsErrorsCases<UwsgiOptions, UwsgiRequestWriter> {

    UwsgiErrorsTest() {
        super(new UwsgiUnderTest());
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
    void closesWithoutAnswerOnAPacketThatIsNoRequest() {
        try (ListenerHarness listener = ListenerHarness.start(new UwsgiProtocol(), UwsgiOptions.DEFAULTS,
                ListenerHarness.echo())) {
            listener.feed(UwsgiRequestWriter.empty().modifiers(100, 0).bytes());
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
