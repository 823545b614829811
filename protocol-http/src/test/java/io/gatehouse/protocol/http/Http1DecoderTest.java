package io.gatehouse.protocol.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.testing.Decoded;
import io.gatehouse.core.testing.Feed;
import io.gatehouse.core.testing.LeakCheck;
import io.gatehouse.spi.exchange.EnvironHead;
import io.gatehouse.spi.exchange.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every fixture under http/valid and http/invalid, fed whole, byte by byte and in random splits: the same
 * requests (environ, framing, body) or the same fault must come out every way.
 */
@ExtendWith(LeakCheck.class)
class Http1DecoderTest {

    static Stream<Arguments> valid() {
        return Feed.everyWay(Http1Fixture.all("valid"));
    }

    static Stream<Arguments> invalid() {
        return Feed.everyWay(Http1Fixture.all("invalid"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("valid")
    void decodesValidFixture(Http1Fixture fixture, Feed feed) {
        Outcome outcome = decode(fixture, feed);
        assertNull(outcome.thrown, () -> "unexpected fault " + outcome.thrown.getMessage());
        assertRequests(fixture, outcome.requests);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("invalid")
    void refusesInvalidFixture(Http1Fixture fixture, Feed feed) {
        Outcome outcome = decode(fixture, feed);
        Map<String, String> last = fixture.expected().get(fixture.expected().size() - 1);
        if (last.containsKey("@thrown")) {
            assertNotNull(outcome.thrown, "expected the decoder to throw " + last.get("@thrown"));
            assertEquals(Integer.parseInt(last.get("@thrown")), outcome.thrown.fault().status(),
                    outcome.thrown.getMessage());
        } else {
            assertNull(outcome.thrown);
            Decoded failed = outcome.requests.get(outcome.requests.size() - 1);
            assertTrue(failed.head().isFailed(), "expected a failed head, got " + failed.head());
            assertEquals(Integer.parseInt(last.get("@status")), failed.head().failure().fault().status(),
                    failed.head().failure().getMessage());
        }
        assertRequests(fixture, outcome.requests);
    }

    static void assertRequests(Http1Fixture fixture, List<Decoded> requests) {
        assertEquals(fixture.expected().size(), requests.size(), () -> "requests decoded: " + requests.stream()
                .map(Decoded::head).toList());
        for (int i = 0; i < requests.size(); i++) {
            Decoded d = requests.get(i);
            for (Map.Entry<String, String> e : fixture.expected().get(i).entrySet()) {
                String key = e.getKey();
                String want = e.getValue();
                String where = fixture.name() + " request " + (i + 1) + " " + key;
                switch (key) {
                    case "@length" -> assertEquals(Long.parseLong(want), d.head().contentLength(), where);
                    case "@keep-alive" -> assertEquals(Boolean.parseBoolean(want), d.head().keepAlive(), where);
                    case "@expect-continue" -> assertEquals(Boolean.parseBoolean(want), d.head().expectContinue(),
                            where);
                    case "@body" -> {
                        assertEquals(want, new String(d.body(), StandardCharsets.ISO_8859_1), where);
                        assertTrue(d.ended(), where + ": body not ended");
                    }
                    case "@status", "@thrown" -> {
                    }
                    default -> assertEquals(want, d.env(key), where);
                }
            }
            if (!d.head().isFailed() && !fixture.expected().get(i).containsKey("@thrown")) {
                assertTrue(d.ended(), fixture.name() + " request " + (i + 1) + ": body not ended");
            }
        }
    }

    /** What feeding a fixture produced: the requests, and the fault thrown from a body, if any. */
    record Outcome(List<Decoded> requests, ProtocolException thrown) {
    }

    static Outcome decode(Http1Fixture fixture, Feed feed) {
        return decode(Http1Options.DEFAULTS, fixture.request(), feed);
    }

    /** Feeds {@code input}, collecting requests; every input buffer must be released by the end. */
    static Outcome decode(Http1Options options, byte[] input, Feed feed) {
        EmbeddedChannel channel = Http1Channels.decoder(options);
        List<ByteBuf> parts = feed.split(input);
        List<Decoded> requests = new ArrayList<>();
        ProtocolException thrown = null;
        int fed = 0;
        try {
            for (ByteBuf part : parts) {
                fed++;
                channel.writeInbound(part);
            }
        } catch (DecoderException e) {
            thrown = (ProtocolException) e.getCause();
        } finally {
            parts.subList(fed, parts.size()).forEach(ByteBuf::release);
        }
        requests.addAll(Decoded.drain(channel));
        assertFalse(channel.finish());
        for (ByteBuf part : parts) {
            assertEquals(0, part.refCnt(), "input buffer not released");
        }
        return new Outcome(requests, thrown);
    }

    /** Decodes {@code request} whole with {@code options}, expecting exactly one head (good or failed). */
    static EnvironHead decodeOne(Http1Options options, String request) {
        Outcome outcome = decode(options, request.getBytes(StandardCharsets.ISO_8859_1), Feed.WHOLE);
        assertNull(outcome.thrown);
        assertEquals(1, outcome.requests.size());
        return outcome.requests.get(0).head();
    }
}
