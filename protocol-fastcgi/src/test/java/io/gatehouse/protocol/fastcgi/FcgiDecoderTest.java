package io.gatehouse.protocol.fastcgi;

import static io.gatehouse.protocol.fastcgi.FcgiRequestWriter.nginxParams;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.testing.Decoded;
import io.gatehouse.core.testing.Feed;
import io.gatehouse.core.testing.LeakCheck;
import io.gatehouse.spi.exchange.EnvironHead;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The record layer and the RESPONDER's input streams, fed whole, byte by byte and in random splits. */
@ExtendWith(LeakCheck.class)
class FcgiDecoderTest {
    private FcgiTestChannel ch = FcgiTestChannel.codec(FcgiOptions.DEFAULTS);

    @AfterEach
    void finish() {
        ch.finishClean();
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void decodesNginxGetWithItsParamsAsGiven(Feed feed) {
        byte[] in = new FcgiRequestWriter().request(1, true, nginxParams("GET", "/app/x?a=1&b=2", ""), new byte[0])
                .bytes();
        List<Decoded> got = ch.feed(in, feed);
        assertEquals(1, got.size());
        Decoded d = got.get(0);
        assertFalse(d.head().isFailed());
        assertEquals(1, d.head().streamId());
        assertTrue(d.head().keepAlive());
        assertEquals(EnvironHead.UNKNOWN_LENGTH, d.head().contentLength(), "CONTENT_LENGTH '' means unknown");
        assertEquals("", d.env("PATH_INFO"), "nginx sends no PATH_INFO; the router splits SCRIPT_NAME");
        d.assertEnv("REQUEST_METHOD", "GET", "QUERY_STRING", "a=1&b=2", "SCRIPT_NAME", "/app/x",
                "REMOTE_ADDR", "192.0.2.7", "SERVER_NAME", "example.org", "CONTENT_LENGTH", "",
                "wsgi.url_scheme", "http");
        assertTrue(d.ended());
        assertEquals(0, d.body().length);
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void decodesPostBodyOverSeveralStdinRecords(Feed feed) {
        byte[] body = random(150_000);
        byte[] in = new FcgiRequestWriter().request(7, true, nginxParams("POST", "/upload", "150000"), body).bytes();
        Decoded d = ch.feed(in, feed).get(0);
        assertEquals(150_000, d.head().contentLength());
        assertEquals(7, d.head().streamId());
        assertArrayEquals(body, d.body());
        assertTrue(d.ended());
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void decodesUnpaddedRecordsAsApacheSendsThem(Feed feed) {
        byte[] body = random(1001);
        byte[] in = new FcgiRequestWriter().padded(false).request(1, true, nginxParams("PUT", "/x", "1001"), body)
                .bytes();
        Decoded d = ch.feed(in, feed).get(0);
        assertEquals("PUT", d.env("REQUEST_METHOD"));
        assertArrayEquals(body, d.body());
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void readsOneAndFourByteNameValueLengthsAndPairsSplitAcrossRecords(Feed feed) {
        ch.finishClean();
        ch = FcgiTestChannel.codec(FcgiTestChannel.options(256 * 1024, 1000, 0, 16));
        Map<String, String> p = new LinkedHashMap<>(nginxParams("GET", "/", ""));
        p.put("HTTP_X_127", "v".repeat(127));
        p.put("HTTP_X_128", "w".repeat(128));
        p.put("N".repeat(200), "short");
        p.put("HTTP_X_BIG", "z".repeat(100_000)); // longer than one record: the pair spans two PARAMS records
        p.put("HTTP_X_BYTES", "caf\u00e9\u00ff");
        byte[] in = new FcgiRequestWriter().maxRecord(4093).request(3, false, p, new byte[0]).bytes();
        Decoded d = ch.feed(in, feed).get(0);
        // SCRIPT_NAME and PATH_INFO are completed by CgiVars (covered there); every other pair arrives as sent
        p.forEach((k, v) -> {
            if (!k.equals("SCRIPT_NAME") && !k.equals("PATH_INFO")) {
                assertEquals(v, d.env(k), k);
            }
        });
        assertFalse(d.head().keepAlive());
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void keepsInterleavedRequestsApart(Feed feed) {
        byte[] a = random(70_000);
        byte[] b = random(3_000);
        FcgiRequestWriter w = new FcgiRequestWriter().maxRecord(1000);
        w.begin(1, FcgiConstants.ROLE_RESPONDER, true).begin(2, FcgiConstants.ROLE_RESPONDER, true);
        w.params(2, nginxParams("POST", "/two", "3000")).params(1, nginxParams("POST", "/one", "70000"));
        for (int i = 0; i < 3; i++) {
            w.stdin(1, java.util.Arrays.copyOfRange(a, i * 1000, (i + 1) * 1000));
            w.stdin(2, java.util.Arrays.copyOfRange(b, i * 1000, (i + 1) * 1000));
        }
        w.stdinEnd(2).stdin(1, java.util.Arrays.copyOfRange(a, 3000, a.length)).stdinEnd(1);
        List<Decoded> got = ch.feed(w.bytes(), feed);
        assertEquals(2, got.size());
        assertEquals(2, got.get(0).head().streamId(), "request 2's PARAMS ended first");
        assertEquals("/two", got.get(0).env("SCRIPT_NAME"));
        assertArrayEquals(b, got.get(0).body());
        assertEquals("/one", got.get(1).env("SCRIPT_NAME"));
        assertArrayEquals(a, got.get(1).body());
        assertTrue(got.get(0).ended() && got.get(1).ended());
    }

    @Test
    void completesWhatTheWebServerLeftOut() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("REQUEST_URI", "/a%20b/c%2Fd?x=1");
        p.put("HTTP_HOST", "shop.example:8443");
        p.put("HTTPS", "on");
        Decoded d = ch.feed(new FcgiRequestWriter().request(1, true, p, new byte[0]).bytes(), Feed.WHOLE).get(0);
        d.assertEnv("REQUEST_METHOD", "GET", "SCRIPT_NAME", "", "PATH_INFO", "/a b/c/d", "QUERY_STRING", "x=1",
                "SERVER_NAME", "shop.example", "SERVER_PORT", "8443", "SERVER_PROTOCOL", "HTTP/1.0",
                "GATEWAY_INTERFACE", "CGI/1.1", "wsgi.url_scheme", "https");
        assertEquals(EnvironHead.UNKNOWN_LENGTH, d.head().contentLength());
    }

    @Test
    void takesTheLastValueOfARepeatedName() {
        byte[] params = concat(FcgiRequestWriter.pair("SCRIPT_NAME", "/first"),
                FcgiRequestWriter.pair("SCRIPT_NAME", "/second"));
        FcgiRequestWriter w = new FcgiRequestWriter().begin(1, FcgiConstants.ROLE_RESPONDER, true);
        w.stream(FcgiRecordType.PARAMS, 1, params).record(FcgiRecordType.PARAMS.code(), 1, new byte[0]).stdinEnd(1);
        Decoded d = ch.feed(w.bytes(), Feed.WHOLE).get(0);
        assertEquals("/second", d.env("SCRIPT_NAME"));
    }

    @Test
    void contentLengthZeroMeansNoBody() {
        byte[] in = new FcgiRequestWriter().request(1, true, nginxParams("POST", "/", "0"), new byte[0]).bytes();
        Decoded d = ch.feed(in, Feed.WHOLE).get(0);
        assertEquals(0, d.head().contentLength());
        assertTrue(d.ended());
    }

    @Test
    void skipsAnyPaddingLength() {
        FcgiRequestWriter w = new FcgiRequestWriter().padded(false).begin(1, FcgiConstants.ROLE_RESPONDER, true);
        w.raw(1, FcgiRecordType.PARAMS.code(), 1, FcgiRequestWriter.pairs(nginxParams("GET", "/p", "")), 255);
        w.raw(1, FcgiRecordType.PARAMS.code(), 1, new byte[0], 3).raw(1, FcgiRecordType.STDIN.code(), 1, new byte[0], 7);
        Decoded d = ch.feed(w.bytes(), Feed.BYTE_BY_BYTE).get(0);
        assertEquals("/p", d.env("SCRIPT_NAME"));
        assertTrue(d.ended());
    }

    static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
