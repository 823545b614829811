package io.gatehouse.protocol.ajp;

import static io.gatehouse.protocol.ajp.AjpRequestWriter.body;
import static io.gatehouse.protocol.ajp.AjpRequestWriter.join;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.app.Headers;
import io.gatehouse.core.testing.Decoded;
import io.gatehouse.core.testing.Feed;
import io.gatehouse.core.testing.LeakCheck;
import io.gatehouse.spi.exchange.BodyChunk;
import io.gatehouse.spi.exchange.EnvironHead;
import io.gatehouse.spi.exchange.LastResponseChunk;
import io.gatehouse.spi.exchange.ResponseHead;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** Forward requests into environs, and the body conversation, on the codec alone. */
@ExtendWith(LeakCheck.class)
class AjpDecoderTest {
    private EmbeddedChannel channel = AjpTestChannels.codec();

    @AfterEach
    void finish() {
        AjpReply.drain(channel);
        assertFalse(channel.finish());
    }

    private Decoded decodeOne(byte[] input, Feed feed) {
        List<Decoded> all = Decoded.feed(channel, input, feed);
        assertEquals(1, all.size());
        assertFalse(all.get(0).head().isFailed(), () -> String.valueOf(all.get(0).head().failure()));
        return all.get(0);
    }

    /** Ends the response in progress, as the core does after the app answered. */
    private void endResponse(EnvironHead request) {
        channel.writeOutbound(new ResponseHead(request, 200, null, new Headers(), 0, false),
                LastResponseChunk.STREAM_0);
        assertEquals(1, AjpReply.drain(channel).reuse);
    }

    @Test
    void decodesEveryMethodCode() {
        for (int code = 1; code <= 27; code++) {
            Decoded d = decodeOne(AjpRequestWriter.get("/m").methodCode(code).build(), Feed.WHOLE);
            assertEquals(AjpConstants.METHODS[code], d.env("REQUEST_METHOD"));
            endResponse(d.head());
        }
        assertEquals("VERSION-CONTROL", AjpConstants.METHODS[17]);
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void takesAStoredMethodFromItsAttribute(Feed feed) {
        Decoded d = decodeOne(AjpRequestWriter.get("/m").method("PURGE").build(), feed);
        assertEquals("PURGE", d.env("REQUEST_METHOD"));
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void computesTheCgiVariablesLikeAnHttpListener(Feed feed) {
        Decoded d = decodeOne(AjpRequestWriter.get("/shop/caf%C3%A9%20x%2Fy").query("a=1&b=%20")
                .remote("198.51.100.4", "client.example.net").server("shop.example.com", 8080).build(), feed);
        assertEquals("/shop/caf\u00c3\u00a9 x/y", d.env("PATH_INFO"), "percent-decoded byte for byte");
        d.assertEnv("REQUEST_URI", "/shop/caf%C3%A9%20x%2Fy?a=1&b=%20", "SCRIPT_NAME", "", "QUERY_STRING", "a=1&b=%20",
                "REQUEST_METHOD", "GET", "SERVER_PROTOCOL", "HTTP/1.1", "GATEWAY_INTERFACE", "CGI/1.1",
                "SERVER_NAME", "shop.example.com", "SERVER_PORT", "8080", "HTTP_HOST", "www.example.org",
                "REMOTE_ADDR", "198.51.100.4", "REMOTE_HOST", "client.example.net", "REMOTE_PORT", "50123",
                "wsgi.url_scheme", "http");
        assertEquals("unix", d.env(AjpProtocol.PEER_KEY), "an embedded channel has no inet peer");
        assertNull(d.env("HTTPS"));
        assertEquals(0, d.head().contentLength());
        assertTrue(d.head().keepAlive());
    }

    @Test
    void leavesRequestUriWithoutAQuestionMarkWhenThereIsNoQuery() {
        Decoded d = decodeOne(AjpRequestWriter.get("/a").remote("10.0.0.1", "10.0.0.1").build(), Feed.WHOLE);
        assertEquals("/a", d.env("REQUEST_URI"));
        assertEquals("", d.env("QUERY_STRING"));
        assertNull(d.env("REMOTE_HOST"), "a host equal to the address is no host name");
    }

    /** req_uri's dot segments, as the HTTP listener treats a target's: gone from PATH_INFO, kept in REQUEST_URI. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {"/a/./b|/a/b", "/a/../b|/b", "/public/../admin|/admin", "/a/%2e%2e/b|/b",
        "/a/%2E./b|/b", "//x|/x", "/a/b/..|/a/", "/a/..|/", "/a%2F..%2Fb|/b", "/a/...b/..c|/a/...b/..c"})
    void removesDotSegmentsFromPathInfoAndKeepsTheRequestUriAsSent(String uri, String pathInfo) {
        Decoded d = decodeOne(AjpRequestWriter.get(uri).query("q=/../x").build(), Feed.WHOLE);
        d.assertEnv("PATH_INFO", pathInfo, "REQUEST_URI", uri + "?q=/../x", "QUERY_STRING", "q=/../x",
                "SCRIPT_NAME", "");
        endResponse(d.head());
    }

    @Test
    void takesServerNameFromHostWhenTheWebServerSentNone() {
        Decoded d = decodeOne(AjpRequestWriter.bare("/").server(null, 443).header("Host", "h.example:8443").build(),
                Feed.WHOLE);
        assertEquals("h.example", d.env("SERVER_NAME"));
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void namesEveryCodedHeader(Feed feed) {
        AjpRequestWriter w = AjpRequestWriter.get("/");
        String[] names = {"Accept", "Accept-Charset", "Accept-Encoding", "Accept-Language", "Authorization",
            "Connection", "Content-Type", "Content-Length", "Cookie", "Cookie2", "Host", "Pragma", "Referer",
            "User-Agent"};
        for (int i = 0; i < names.length; i++) {
            if (!names[i].equals("Host") && !names[i].equals("Content-Length")) {
                w.codedHeader(0xA001 + i, "v" + i);
            }
        }
        Decoded d = decodeOne(w.build(), feed);
        String[] keys = {"HTTP_ACCEPT", "HTTP_ACCEPT_CHARSET", "HTTP_ACCEPT_ENCODING", "HTTP_ACCEPT_LANGUAGE",
            "HTTP_AUTHORIZATION", "HTTP_CONNECTION", "CONTENT_TYPE", null, "HTTP_COOKIE", "HTTP_COOKIE2", null,
            "HTTP_PRAGMA", "HTTP_REFERER", "HTTP_USER_AGENT"};
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != null) {
                assertEquals("v" + i, d.env(keys[i]), keys[i]);
            }
        }
        assertNull(d.env("HTTP_CONTENT_TYPE"));
    }

    @Test
    void keepsPlainHeaderNamesAsHttpKeysAndJoinsRepeats() {
        Decoded d = decodeOne(AjpRequestWriter.get("/").header("X-Forwarded-Proto", "https")
                .header("X-Many", "1").header("x-many", "2").header("Cookie", "a=1").header("Cookie", "b=2")
                .plainHeader("Content-Type", "text/plain").build(), Feed.WHOLE);
        assertEquals("https", d.env("HTTP_X_FORWARDED_PROTO"));
        assertEquals("1, 2", d.env("HTTP_X_MANY"));
        assertEquals("a=1; b=2", d.env("HTTP_COOKIE"));
        assertEquals("text/plain", d.env("CONTENT_TYPE"));
    }

    @Test
    void dropsHeaderNamesWithAnUnderscoreUnlessAllowed() {
        byte[] request = AjpRequestWriter.get("/").header("X-Real-Ip", "1.1.1.1").header("X_Real_Ip", "6.6.6.6")
                .build();
        assertEquals("1.1.1.1", decodeOne(request, Feed.WHOLE).env("HTTP_X_REAL_IP"));
        finish();
        channel = AjpTestChannels.codec(AjpTestChannels.options(8192, null, null, 100, 0, true));
        assertEquals("1.1.1.1, 6.6.6.6", decodeOne(request, Feed.WHOLE).env("HTTP_X_REAL_IP"));
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void mapsEveryAttributeOfATlsRequest(Feed feed) {
        channel = AjpTestChannels.codec(AjpTestChannels.withSecret("pssst"));
        Decoded d = decodeOne(AjpRequestWriter.get("/").ssl(true).secret("pssst")
                .attribute(AjpConstants.ATTR_CONTEXT, "/ctx").attribute(AjpConstants.ATTR_SERVLET_PATH, "/sp")
                .attribute(AjpConstants.ATTR_REMOTE_USER, "alice").attribute(AjpConstants.ATTR_AUTH_TYPE, "Basic")
                .query("x=1").attribute(AjpConstants.ATTR_ROUTE, "node1")
                .attribute(AjpConstants.ATTR_SSL_CERT, "-----BEGIN CERTIFICATE-----\nMIIB\n")
                .attribute(AjpConstants.ATTR_SSL_CIPHER, "TLS_AES_256_GCM_SHA384")
                .attribute(AjpConstants.ATTR_SSL_SESSION, "0123abcd").keySize(256)
                .requestAttribute("AJP_SSL_PROTOCOL", "TLSv1.3").requestAttribute("AJP_LOCAL_ADDR", "10.1.1.1")
                .requestAttribute("JK_LB_ACTIVATION", "ACT").build(), feed);
        d.assertEnv("HTTPS", "on", "wsgi.url_scheme", "https", "REMOTE_USER", "alice", "AUTH_TYPE", "Basic",
                "QUERY_STRING", "x=1", "AJP_CONTEXT", "/ctx", "AJP_SERVLET_PATH", "/sp", "AJP_ROUTE", "node1",
                "SSL_CLIENT_CERT", "-----BEGIN CERTIFICATE-----\nMIIB\n", "SSL_CIPHER", "TLS_AES_256_GCM_SHA384",
                "SSL_SESSION_ID", "0123abcd", "SSL_CIPHER_USEKEYSIZE", "256", "SSL_PROTOCOL", "TLSv1.3",
                "SERVER_ADDR", "10.1.1.1", "AJP_ATTR_JK_LB_ACTIVATION", "ACT");
        d.head().environ().forEach((k, v) -> assertFalse(v.contains("pssst"), "the secret leaked into " + k));
    }

    @Test
    void ignoresTlsAttributesOnAPlainConnection() {
        Decoded d = decodeOne(AjpRequestWriter.get("/").attribute(AjpConstants.ATTR_SSL_CERT, "forged")
                .attribute(AjpConstants.ATTR_SSL_CIPHER, "NULL").keySize(1)
                .requestAttribute("AJP_SSL_PROTOCOL", "TLSv1").build(), Feed.WHOLE);
        for (String key : List.of("HTTPS", "SSL_CLIENT_CERT", "SSL_CIPHER", "SSL_CIPHER_USEKEYSIZE", "SSL_PROTOCOL")) {
            assertNull(d.env(key), key);
        }
    }

    @Test
    void dropsUnknownRequestAttributesUnlessAllowedAttributesAdmitsThem() {
        byte[] request = AjpRequestWriter.get("/").requestAttribute("FOO", "1").requestAttribute("BAR_X", "2")
                .requestAttribute("BAZ", "3").build();
        Decoded plain = decodeOne(request, Feed.WHOLE);
        plain.head().environ().forEach((k, v) -> assertFalse(k.startsWith("AJP_ATTR_"), k));
        finish();
        channel = AjpTestChannels.codec(AjpTestChannels.options(8192, null, "FOO|BAR_.*", 100, 0, false));
        Decoded admitted = decodeOne(request, Feed.WHOLE);
        assertEquals("1", admitted.env("AJP_ATTR_FOO"));
        assertEquals("2", admitted.env("AJP_ATTR_BAR_X"));
        assertNull(admitted.env("AJP_ATTR_BAZ"), "the pattern matches whole names only");
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void streamsAFixedLengthBodyAskingForEachLaterPacket(Feed feed) {
        byte[] data = new byte[20000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31);
        }
        byte[] forward = AjpRequestWriter.get("/up").method("POST").header("Content-Length", "20000").build();
        List<Decoded> first = Decoded.feed(channel, join(forward, body(slice(data, 0, 8186))), feed);
        assertEquals(20000, first.get(0).head().contentLength());
        assertEquals(List.of(8186), AjpReply.drain(channel).asks, "the next full packet");
        feedAll(body(slice(data, 8186, 16372)), feed);
        assertEquals(List.of(20000 - 16372), AjpReply.drain(channel).asks, "only what is left");
        feedAll(body(slice(data, 16372, 20000)), feed);
        assertEquals(List.of(), AjpReply.drain(channel).asks, "nothing after the last byte");
        byte[] all = join(first.get(0).body(), inboundBody());
        assertArrayEquals(data, all);
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void streamsAChunkedBodyUntilAnEmptyPacketOfEitherSpelling(Feed feed) {
        for (byte[] end : List.of(AjpRequestWriter.emptyBody(), AjpRequestWriter.zeroLengthBody())) {
            byte[] forward = AjpRequestWriter.get("/up").method("POST").plainHeader("Transfer-Encoding", "chunked")
                    .build();
            Decoded d = Decoded.feed(channel, forward, feed).get(0);
            assertEquals(EnvironHead.UNKNOWN_LENGTH, d.head().contentLength());
            assertNull(d.env("CONTENT_LENGTH"));
            assertEquals(List.of(8186), AjpReply.drain(channel).asks, "no body comes unasked when chunked");
            feedAll(body("abc".getBytes()), feed);
            assertEquals(List.of(8186), AjpReply.drain(channel).asks);
            feedAll(end, feed);
            assertEquals(List.of(), AjpReply.drain(channel).asks);
            assertEquals("abc", new String(inboundBody()));
            endResponse(d.head());
        }
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void answersCpingOutsideRequestsWithCpong(Feed feed) {
        assertTrue(Decoded.feed(channel, join(AjpRequestWriter.cping(), AjpRequestWriter.cping()), feed).isEmpty());
        assertEquals(2, AjpReply.drain(channel).cpongs);
        Decoded d = decodeOne(join(AjpRequestWriter.cping(), AjpRequestWriter.get("/after").build()), feed);
        assertEquals("/after", d.env("PATH_INFO"));
        assertEquals(1, AjpReply.drain(channel).cpongs);
    }

    @Test
    void decodesRequestsOneAfterAnotherOnAPooledConnection() {
        for (int i = 0; i < 3; i++) {
            Decoded d = decodeOne(AjpRequestWriter.get("/r" + i).build(), Feed.WHOLE);
            assertEquals("/r" + i, d.env("PATH_INFO"));
            endResponse(d.head());
        }
    }

    @Test
    void dropsTheBodyPacketAlreadyOnItsWayWhenTheResponseEndsFirst() {
        byte[] forward = AjpRequestWriter.get("/up").method("POST").header("Content-Length", "20000").build();
        Decoded d = Decoded.feed(channel, join(forward, body(new byte[8186])), Feed.WHOLE).get(0);
        assertEquals(List.of(8186), AjpReply.drain(channel).asks);
        endResponse(d.head());
        assertTrue(Decoded.feed(channel, body(new byte[8186]), Feed.WHOLE).isEmpty(), "the owed packet is dropped");
        assertEquals(List.of(), AjpReply.drain(channel).asks, "and nothing more is asked");
        assertEquals("/next", decodeOne(AjpRequestWriter.get("/next").build(), Feed.WHOLE).env("PATH_INFO"));
    }

    @Test
    void asksForTheNextPacketOnlyWhileTheConnectionReads() {
        byte[] forward = AjpRequestWriter.get("/up").method("POST").header("Content-Length", "9000").build();
        channel.config().setAutoRead(false);
        Decoded d = Decoded.feed(channel, join(forward, body(new byte[8186])), Feed.WHOLE).get(0);
        assertEquals(8186, d.body().length);
        assertEquals(List.of(), AjpReply.drain(channel).asks, "reading is off: the web server keeps the rest");
        channel.config().setAutoRead(true);
        assertEquals(List.of(9000 - 8186), AjpReply.drain(channel).asks);
        feedAll(body(new byte[9000 - 8186]), Feed.WHOLE);
        assertEquals(9000 - 8186, inboundBody().length);
    }

    private void feedAll(byte[] input, Feed feed) {
        feed.split(input).forEach(channel::writeInbound);
    }

    /** The body chunks decoded since the head was read, joined (and released). */
    private byte[] inboundBody() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (Object m; (m = channel.readInbound()) != null; ) {
            BodyChunk chunk = (BodyChunk) m;
            byte[] b = new byte[chunk.content().readableBytes()];
            chunk.content().getBytes(chunk.content().readerIndex(), b);
            out.writeBytes(b);
            chunk.release();
        }
        return out.toByteArray();
    }

    private static byte[] slice(byte[] data, int from, int to) {
        return java.util.Arrays.copyOfRange(data, from, to);
    }
}
