package io.gatehouse.protocol.uwsgi;

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
class UwsgiDecoderTest {
    private EmbeddedChannel channel = new EmbeddedChannel(new UwsgiDecoder(UwsgiOptions.DEFAULTS));

    @AfterEach
    void finish() {
        assertFalse(channel.finish());
    }

    static Stream<Arguments> validFixtures() {
        return Fixtures.load(UwsgiDecoderTest.class, "/uwsgi/valid").stream()
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
        assertFalse(d.head().keepAlive(), "uwsgi carries one request per connection");
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void slicesABodyExactlyWhateverTheSplits(Feed feed) {
        byte[] body = new byte[feed == Feed.BYTE_BY_BYTE ? 3000 : 300_000];
        new Random(7).nextBytes(body);
        Decoded d = decodeOne(UwsgiRequestWriter.nginx("POST", "/upload").body(body).bytes(), feed);
        assertEquals(body.length, d.head().contentLength());
        assertArrayEquals(body, d.body());
        assertTrue(d.ended());
    }

    @Test
    void recordsModifiersAsDecimalStrings() {
        Decoded d = decodeOne(UwsgiRequestWriter.nginx("GET", "/").modifiers(8, 255).bytes(), Feed.WHOLE);
        assertEquals("8", d.env("uwsgi.modifier1"));
        assertEquals("255", d.env("uwsgi.modifier2"));
    }

    @Test
    void keepsModifiersAuthoritativeOverVarsOfTheSameName() {
        Decoded d = decodeOne(UwsgiRequestWriter.nginx("GET", "/").var("uwsgi.modifier1", "99").bytes(),
                Feed.WHOLE);
        assertEquals("0", d.env("uwsgi.modifier1"));
    }

    @Test
    void servesEveryRequestModifier() {
        for (UwsgiPacketType type : UwsgiPacketType.values()) {
            channel = new EmbeddedChannel(new UwsgiDecoder(UwsgiOptions.DEFAULTS));
            Decoded d = decodeOne(UwsgiRequestWriter.nginx("GET", "/x").modifiers(type.code(), 0).bytes(),
                    Feed.WHOLE);
            assertFalse(d.head().isFailed(), type.name());
            assertEquals(Integer.toString(type.code()), d.env("uwsgi.modifier1"));
            assertFalse(channel.finish());
        }
        channel = new EmbeddedChannel(new UwsgiDecoder(UwsgiOptions.DEFAULTS));
    }

    @Test
    void modifier30RemovesScriptNameFromPathInfo() {
        byte[] packet = UwsgiRequestWriter.nginx("GET", "/app/x").var("SCRIPT_NAME", "/app").modifiers(30, 0)
                .bytes();
        Decoded d = decodeOne(packet, Feed.WHOLE);
        assertEquals("/app", d.env("SCRIPT_NAME"));
        assertEquals("/x", d.env("PATH_INFO"));
    }

    @Test
    void keepsTheLastValueOfARepeatedVar() {
        byte[] packet = UwsgiRequestWriter.nginx("GET", "/").var("HTTP_HOST", "override.example").bytes();
        assertEquals("override.example", decodeOne(packet, Feed.WHOLE).env("HTTP_HOST"));
    }

    @Test
    void takesTheSchemeFromTheFrontServersVars() {
        byte[] https = UwsgiRequestWriter.nginx("GET", "/").var("HTTPS", "on").set("REQUEST_SCHEME", "https")
                .bytes();
        assertEquals("https", decodeOne(https, Feed.WHOLE).env("wsgi.url_scheme"));
        channel.finish();
        channel = new EmbeddedChannel(new UwsgiDecoder(UwsgiOptions.DEFAULTS));
        byte[] forced = UwsgiRequestWriter.nginx("GET", "/").var("UWSGI_SCHEME", "https").bytes();
        assertEquals("https", decodeOne(forced, Feed.WHOLE).env("wsgi.url_scheme"));
    }

    @Test
    void keepsValueBytesAsNativeStrings() {
        String raw = "caf\u00c3\u00a9 \u00ff\u0000end";
        Decoded d = decodeOne(UwsgiRequestWriter.nginx("GET", "/").var("HTTP_X_RAW", raw).bytes(), Feed.WHOLE);
        assertEquals(raw, d.env("HTTP_X_RAW"));
    }

    @Test
    void ignoresBytesAfterTheOneRequestOfAConnection() {
        byte[] first = UwsgiRequestWriter.nginx("POST", "/a").body("abc".getBytes(StandardCharsets.US_ASCII))
                .bytes();
        byte[] second = UwsgiRequestWriter.nginx("GET", "/b").bytes();
        byte[] both = new byte[first.length + second.length];
        System.arraycopy(first, 0, both, 0, first.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        Decoded d = decodeOne(both, Feed.RANDOM_SPLITS);
        assertEquals("/a", d.env("PATH_INFO"));
        assertArrayEquals("abc".getBytes(StandardCharsets.US_ASCII), d.body());
    }

    @Test
    void waitsForTheWholeVarsBlockBeforeEmittingAHead() {
        byte[] packet = UwsgiRequestWriter.nginx("GET", "/").bytes();
        channel.writeInbound(io.netty.buffer.Unpooled.wrappedBuffer(packet, 0, packet.length - 1));
        assertNull(channel.readInbound());
        channel.writeInbound(io.netty.buffer.Unpooled.wrappedBuffer(packet, packet.length - 1, 1));
        EnvironHead head = channel.readInbound();
        assertEquals("GET", head.environ().get("REQUEST_METHOD"));
    }
}
