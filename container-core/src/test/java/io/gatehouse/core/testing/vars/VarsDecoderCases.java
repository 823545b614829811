package io.gatehouse.core.testing.vars;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.testing.Decoded;
import io.gatehouse.core.testing.Feed;
import io.gatehouse.core.testing.Fixtures.Fixture;
import io.gatehouse.spi.exchange.EnvironHead;
import io.gatehouse.spi.exchange.VarsReport;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Requests as nginx, Apache and lighttpd send them (the fixtures in {@code /<protocol>/valid}), decoded whole, byte
 * by byte and in random splits, and what every {@link VarsProtocol} decoder does with vars and bodies.
 */
public abstract class VarsDecoderCases<O extends Record, W extends VarsRequestWriter<W>> extends VarsCodecCases<O, W> {

    protected VarsDecoderCases(VarsProtocol<O, W> wire) {
        super(wire);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("validFixtures")
    public void decodesWhatFrontServersSend(Fixture fixture, Feed feed) {
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
        assertFalse(d.head().keepAlive(), wire.protocol().name() + " carries one request per connection");
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    public void slicesABodyExactlyWhateverTheSplits(Feed feed) {
        byte[] body = new byte[feed == Feed.BYTE_BY_BYTE ? 3000 : 300_000];
        new Random(7).nextBytes(body);
        Decoded d = decodeOne(wire.nginx("POST", "/upload").body(body).bytes(), feed);
        assertEquals(body.length, d.head().contentLength());
        assertArrayEquals(body, d.body());
        assertTrue(d.ended());
    }

    @Test
    public void keepsTheLastValueOfARepeatedCgiVar() {
        byte[] request = wire.nginx("GET", "/").var("SCRIPT_NAME", "/a").var("SCRIPT_NAME", "/b").bytes();
        assertEquals("/b", decodeOne(request, Feed.WHOLE).env("SCRIPT_NAME"));
    }

    @Test
    public void combinesRepeatedHeaderFieldsAsRfc9110Says() {
        byte[] request = wire.nginx("GET", "/").var("HTTP_X_FORWARDED_FOR", "192.0.2.1")
                .var("HTTP_X_FORWARDED_FOR", "198.51.100.2").var("HTTP_COOKIE", "a=1").var("HTTP_COOKIE", "b=2")
                .bytes();
        Decoded d = decodeOne(request, Feed.WHOLE);
        assertEquals("192.0.2.1, 198.51.100.2", d.env("HTTP_X_FORWARDED_FOR"));
        assertEquals("a=1; b=2", d.env("HTTP_COOKIE"));
    }

    @Test
    public void keepsOnlyTheCanonicalContentFields() {
        byte[] request = wire.nginx("POST", "/").body(new byte[3]).set("CONTENT_TYPE", "text/plain")
                .var("HTTP_CONTENT_TYPE", "text/plain").var("HTTP_CONTENT_LENGTH", "3")
                .var("HTTP_TRANSFER_ENCODING", "chunked").bytes();
        Decoded d = decodeOne(request, Feed.WHOLE);
        assertEquals("text/plain", d.env("CONTENT_TYPE"));
        assertEquals("3", d.env("CONTENT_LENGTH"));
        assertNull(d.env("HTTP_CONTENT_TYPE"));
        assertNull(d.env("HTTP_CONTENT_LENGTH"));
        assertNull(d.env("HTTP_TRANSFER_ENCODING"));
    }

    @Test
    public void givesAMissingRequestMethodUwsgisDefaultAndReportsIt() {
        Decoded d = decodeOne(wire.nginx("GET", "/x").remove("REQUEST_METHOD").bytes(), Feed.WHOLE);
        assertEquals("GET", d.env("REQUEST_METHOD"));
        assertEquals(List.of("REQUEST_METHOD=GET"), d.head().varsReport().defaulted());
        reconnect();
        assertSame(VarsReport.NONE, decodeOne(wire.nginx("GET", "/x").bytes(), Feed.WHOLE).head().varsReport());
    }

    @Test
    public void takesTheSchemeFromTheFrontServersVars() {
        byte[] https = wire.nginx("GET", "/").var("HTTPS", "on").set("REQUEST_SCHEME", "https").bytes();
        assertEquals("https", decodeOne(https, Feed.WHOLE).env("wsgi.url_scheme"));
    }

    @Test
    public void keepsValueBytesAsNativeStrings() {
        String raw = wire.rawValue();
        Decoded d = decodeOne(wire.nginx("GET", "/").var("HTTP_X_RAW", raw).bytes(), Feed.WHOLE);
        assertEquals(raw, d.env("HTTP_X_RAW"));
    }

    @Test
    public void ignoresBytesAfterTheOneRequestOfAConnection() {
        byte[] first = wire.nginx("POST", "/a").body("abc".getBytes(StandardCharsets.US_ASCII)).bytes();
        byte[] second = wire.nginx("GET", "/b").bytes();
        byte[] both = new byte[first.length + second.length];
        System.arraycopy(first, 0, both, 0, first.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        Decoded d = decodeOne(both, Feed.RANDOM_SPLITS);
        assertEquals("/a", d.env("PATH_INFO"));
        assertArrayEquals("abc".getBytes(StandardCharsets.US_ASCII), d.body());
    }

    @Test
    public void waitsForTheLastByteOfTheVarsBlockBeforeEmittingAHead() {
        byte[] request = wire.nginx("GET", "/").bytes();
        channel.writeInbound(Unpooled.wrappedBuffer(request, 0, request.length - 1));
        assertNull(channel.readInbound());
        channel.writeInbound(Unpooled.wrappedBuffer(request, request.length - 1, 1));
        EnvironHead head = channel.readInbound();
        assertEquals("GET", head.environ().get("REQUEST_METHOD"));
    }
}
