package io.gatehouse.protocol.scgi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.testing.Decoded;
import io.gatehouse.core.testing.Feed;
import io.gatehouse.core.testing.Fixtures;
import io.gatehouse.core.testing.Fixtures.Fixture;
import io.gatehouse.spi.exchange.EnvironHead;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Requests as nginx, Apache and lighttpd send them, decoded whole, byte by byte and in random splits. */
class ScgiDecoderTest {
    private final EmbeddedChannel channel = new EmbeddedChannel(new ScgiDecoder(ScgiOptions.DEFAULTS));

    @AfterEach
    void finish() {
        assertFalse(channel.finish());
    }

    static Stream<Arguments> validFixtures() {
        return Fixtures.load(ScgiDecoderTest.class, "/scgi/valid").stream()
                .flatMap(f -> Stream.of(Feed.values()).map(feed -> Arguments.of(f, feed)));
    }

    private Decoded decodeOne(byte[] input, Feed feed) {
        List<Decoded> all = Decoded.feed(channel, input, feed);
        assertEquals(1, all.size(), "requests decoded: " + all);
        return all.get(0);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("validFixtures")
    void decodesWhatFrontServersSend(Fixture fixture, Feed feed) {
        Decoded d = decodeOne(fixture.input(), feed);
        assertFalse(d.head().isFailed(), () -> String.valueOf(d.head().failure()));
        for (Map.Entry<String, String> e : fixture.expect().entrySet()) {
            assertEquals(e.getValue(), d.env(e.getKey()), e.getKey());
        }
        for (String key : fixture.absent()) {
            assertNull(d.env(key), key);
        }
        assertEquals(Long.parseLong(fixture.directive("content-length")), d.head().contentLength());
        String body = fixture.directive("body");
        assertEquals(body == null ? "" : body, new String(d.body(), StandardCharsets.ISO_8859_1));
        assertTrue(d.ended());
        assertFalse(d.head().keepAlive(), "SCGI carries one request per connection");
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void slicesABodyExactlyWhateverTheSplits(Feed feed) {
        byte[] body = new byte[feed == Feed.BYTE_BY_BYTE ? 3000 : 300_000];
        new Random(11).nextBytes(body);
        Decoded d = decodeOne(ScgiRequestWriter.nginx("POST", "/upload").body(body).bytes(), feed);
        assertEquals(body.length, d.head().contentLength());
        assertArrayEquals(body, d.body());
        assertTrue(d.ended());
    }

    @Test
    void framesTheBodyByTheLeadingContentLengthOnly() {
        byte[] request = ScgiRequestWriter.nginx("POST", "/").body("abc".getBytes(StandardCharsets.US_ASCII))
                .var("CONTENT_LENGTH", "999").bytes();
        Decoded d = decodeOne(request, Feed.WHOLE);
        assertEquals("3", d.env("CONTENT_LENGTH"));
        assertEquals(3, d.head().contentLength());
        assertArrayEquals("abc".getBytes(StandardCharsets.US_ASCII), d.body());
    }

    @Test
    void keepsTheLastValueOfOtherRepeatedVars() {
        byte[] request = ScgiRequestWriter.nginx("GET", "/").var("HTTP_HOST", "override.example").bytes();
        assertEquals("override.example", decodeOne(request, Feed.WHOLE).env("HTTP_HOST"));
    }

    @Test
    void acceptsLeadingZerosInTheNetstringLength() {
        byte[] plain = ScgiRequestWriter.nginx("GET", "/z").bytes();
        String text = new String(plain, StandardCharsets.ISO_8859_1);
        byte[] padded = ("00" + text).getBytes(StandardCharsets.ISO_8859_1);
        assertEquals("/z", decodeOne(padded, Feed.BYTE_BY_BYTE).env("PATH_INFO"));
    }

    @Test
    void takesTheSchemeFromTheFrontServersVars() {
        byte[] https = ScgiRequestWriter.nginx("GET", "/").var("HTTPS", "on").set("REQUEST_SCHEME", "https")
                .bytes();
        assertEquals("https", decodeOne(https, Feed.WHOLE).env("wsgi.url_scheme"));
    }

    @Test
    void keepsValueBytesAsNativeStrings() {
        String raw = "caf\u00c3\u00a9 \u00ff:,end";
        Decoded d = decodeOne(ScgiRequestWriter.nginx("GET", "/").var("HTTP_X_RAW", raw).bytes(), Feed.WHOLE);
        assertEquals(raw, d.env("HTTP_X_RAW"));
    }

    @Test
    void ignoresBytesAfterTheOneRequestOfAConnection() {
        byte[] first = ScgiRequestWriter.nginx("POST", "/a").body("abc".getBytes(StandardCharsets.US_ASCII))
                .bytes();
        byte[] second = ScgiRequestWriter.nginx("GET", "/b").bytes();
        byte[] both = new byte[first.length + second.length];
        System.arraycopy(first, 0, both, 0, first.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        Decoded d = decodeOne(both, Feed.RANDOM_SPLITS);
        assertEquals("/a", d.env("PATH_INFO"));
        assertArrayEquals("abc".getBytes(StandardCharsets.US_ASCII), d.body());
    }

    @Test
    void waitsForTheClosingCommaBeforeEmittingAHead() {
        byte[] request = ScgiRequestWriter.nginx("GET", "/").bytes();
        channel.writeInbound(Unpooled.wrappedBuffer(request, 0, request.length - 1));
        assertNull(channel.readInbound());
        channel.writeInbound(Unpooled.wrappedBuffer(request, request.length - 1, 1));
        EnvironHead head = channel.readInbound();
        assertEquals("GET", head.environ().get("REQUEST_METHOD"));
    }
}
