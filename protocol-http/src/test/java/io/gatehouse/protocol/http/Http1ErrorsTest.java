package io.gatehouse.protocol.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.config.DataSize;
import io.gatehouse.core.testing.Decoded;
import io.gatehouse.core.testing.Feed;
import io.gatehouse.core.testing.LeakCheck;
import io.gatehouse.protocol.http.Http1DecoderTest.Outcome;
import io.gatehouse.spi.exchange.EnvironHead;
import io.gatehouse.spi.exchange.Fault;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Malformed requests and the fault each one gets, with the detail that goes into the log line; and what the
 * decoder does after a fault (nothing more is decoded from that connection).
 */
@ExtendWith(LeakCheck.class)
class Http1ErrorsTest {
    /** The defaults, but keeping header names with an underscore. */
    static final Http1Options ALLOW_UNDERSCORES = new Http1Options(DataSize.ofKibibytes(8), DataSize.ofKibibytes(32),
            100, DataSize.ofBytes(0), DataSize.ofKibibytes(256), true, null, null);

    static EnvironHead failedHead(String request) {
        EnvironHead head = Http1DecoderTest.decodeOne(Http1Options.DEFAULTS, request.replace("|", "\r\n"));
        assertTrue(head.isFailed(), head::toString);
        return head;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', textBlock = """
            GET / HTTP/1.1||                                        ; BAD_REQUEST           ; without Host
            GET / HTTP/1.1|Host: a|Host: b||                        ; BAD_REQUEST           ; more than one Host
            GET / HTTP/1.1|Host: a b||                              ; BAD_REQUEST           ; invalid Host
            POST / HTTP/1.1|Host: a|Content-Length: 1|Transfer-Encoding: chunked||; BAD_REQUEST; both Content-Length and Transfer-Encoding
            POST / HTTP/1.1|Host: a|Content-Length: 1, 2||          ; BAD_REQUEST           ; Content-Length written as a list '1, 2'
            POST / HTTP/1.1|Host: a|Content-Length: 5, 5||          ; BAD_REQUEST           ; Content-Length written as a list '5, 5'
            POST / HTTP/1.1|Host: a|Content-Length: 1|Content-Length: 2||; BAD_REQUEST      ; more than one Content-Length header field
            POST / HTTP/1.1|Host: a|Content-Length: 5|Content-Length: 5||; BAD_REQUEST      ; more than one Content-Length header field
            POST / HTTP/1.1|Host: a|Content-Length: x||             ; BAD_REQUEST           ; invalid Content-Length 'x'
            POST / HTTP/1.1|Host: a|Transfer-Encoding: gzip||       ; BAD_REQUEST           ; does not end with chunked
            POST / HTTP/1.1|Host: a|Transfer-Encoding: br, chunked||; NOT_IMPLEMENTED       ; unsupported transfer coding 'br'
            POST / HTTP/1.0|Transfer-Encoding: chunked||            ; BAD_REQUEST           ; Transfer-Encoding in an HTTP/1.0 request
            GET / HTTP/1.1|Host: a|X: 1| folded||                   ; BAD_REQUEST           ; obsolete line folding
            GET / HTTP/1.1|Host : a||                               ; BAD_REQUEST           ; whitespace between header field name and colon
            GET / HTTP/1.1|Host: a|X@Y: 1||                         ; BAD_REQUEST           ; invalid character in header field name
            GET / HTTP/1.1|Host: a|NoColon||                        ; BAD_REQUEST           ; without a colon
            GET / HTTP/1.1|Host: a|: v||                            ; BAD_REQUEST           ; empty name
            GET /a b HTTP/1.1|Host: a||                             ; BAD_REQUEST           ; invalid character in request target
            GET / HTTP/1.1 |Host: a||                               ; BAD_REQUEST           ; malformed request line
            GET / HTTX/1.1|Host: a||                                ; BAD_REQUEST           ; malformed HTTP version
            GET|Host: a||                                           ; BAD_REQUEST           ; malformed request line
            G<T / HTTP/1.1|Host: a||                                ; BAD_REQUEST           ; invalid character in method
            GET / HTTP/3.0|Host: a||                                ; VERSION_NOT_SUPPORTED ; unsupported version HTTP/3.0
            CONNECT a:443 HTTP/1.1|Host: a:443||                    ; NOT_IMPLEMENTED       ; CONNECT is not supported
            POST / HTTP/1.1|Host: a|Expect: 101-switch|Content-Length: 1||; EXPECTATION_FAILED; unsupported expectation '101-switch'
            GET /%4 HTTP/1.1|Host: a||                              ; BAD_REQUEST           ; truncated percent-encoding
            GET /%G0 HTTP/1.1|Host: a||                             ; BAD_REQUEST           ; invalid percent-encoding
            GET /%00 HTTP/1.1|Host: a||                             ; BAD_REQUEST           ; percent-encoded NUL
            GET gopher://a/ HTTP/1.1|Host: a||                      ; BAD_REQUEST           ; neither a path nor an http(s) absolute URI
            GET http://u@a/ HTTP/1.1|Host: a||                      ; BAD_REQUEST           ; invalid authority
            GET * HTTP/1.1|Host: a||                                ; BAD_REQUEST           ; asterisk-form target with method GET
            POST / HTTP/1.1|Host: a|Content-Type: a|Content-Type: b||; BAD_REQUEST          ; more than one Content-Type
            """)
    void answersMalformedHeadWithItsFault(String request, Fault fault, String detail) {
        EnvironHead head = failedHead(request.strip());
        assertEquals(fault, head.failure().fault());
        assertTrue(head.failure().getMessage().contains(detail.strip()), head.failure().getMessage());
        assertTrue(fault.close());
    }

    @Test
    void refusesControlCharactersInValues() {
        for (char c : new char[] {0, 1, '\r', 0x1b, 0x7f}) {
            EnvironHead head = failedHead("GET / HTTP/1.1|Host: a|X: a" + c + "b||");
            assertEquals(Fault.BAD_REQUEST, head.failure().fault(), "char " + (int) c);
        }
    }

    @Test
    void failedHeadCarriesWhatWasDecodedOfItsOwnRequestOnly() {
        Outcome outcome = Http1DecoderTest.decode(Http1Options.DEFAULTS, ("GET /first HTTP/1.1\r\nHost: a\r\n\r\n"
                + "POST /second HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n" + "X".repeat(9000)).getBytes(
                StandardCharsets.US_ASCII), Feed.WHOLE);
        assertEquals(2, outcome.requests().size());
        EnvironHead first = outcome.requests().get(0).head();
        EnvironHead second = outcome.requests().get(1).head();
        assertNotSame(first.environ(), second.environ());
        assertEquals("/first", first.environ().get("PATH_INFO"));
        assertEquals("POST", second.environ().get("REQUEST_METHOD"));
        assertEquals("/second", second.environ().get("PATH_INFO"));
    }

    @Test
    void failedRequestLineDoesNotReuseThePreviousEnviron() {
        Http1Options small = new Http1Options(DataSize.ofBytes(64), DataSize.ofBytes(256), 10, DataSize.ofBytes(0),
                DataSize.ofKibibytes(4), false, null, null);
        Outcome outcome = Http1DecoderTest.decode(small, ("GET /first HTTP/1.1\r\nHost: a\r\n\r\nGET /"
                + "x".repeat(100) + " HTTP/1.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII), Feed.WHOLE);
        EnvironHead first = outcome.requests().get(0).head();
        EnvironHead failed = outcome.requests().get(1).head();
        assertEquals(Fault.URI_TOO_LONG, failed.failure().fault());
        assertNotSame(first.environ(), failed.environ());
        assertNull(failed.environ().get("PATH_INFO"));
    }

    @Test
    void passesOnTheBodyOfAHeadRefusedAfterItsFramingWasSound() {
        Http1Options small = new Http1Options(DataSize.ofKibibytes(8), DataSize.ofKibibytes(32), 100,
                DataSize.ofBytes(4), DataSize.ofKibibytes(256), false, null, null);
        for (Feed feed : Feed.values()) {
            Outcome tooBig = Http1DecoderTest.decode(small, ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\n"
                    + "helloGET /next HTTP/1.1\r\nHost: a\r\n\r\n").getBytes(StandardCharsets.US_ASCII), feed);
            assertEquals(1, tooBig.requests().size(), "nothing is read after the refused request");
            Decoded refused = tooBig.requests().get(0);
            assertEquals(Fault.PAYLOAD_TOO_LARGE, refused.head().failure().fault());
            assertEquals(5, refused.head().contentLength());
            assertEquals("hello", new String(refused.body(), StandardCharsets.US_ASCII));
            assertTrue(refused.ended());
            Outcome noHost = Http1DecoderTest.decode(small, ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "2\r\nab\r\n0\r\n\r\n").getBytes(StandardCharsets.US_ASCII), feed);
            Decoded chunked = noHost.requests().get(0);
            assertEquals(Fault.BAD_REQUEST, chunked.head().failure().fault());
            assertEquals(-1, chunked.head().contentLength());
            assertEquals("ab", new String(chunked.body(), StandardCharsets.US_ASCII));
            assertTrue(chunked.ended());
        }
    }

    @Test
    void passesNothingOnAfterAHeadWhoseFramingIsUnsound() {
        Outcome outcome = Http1DecoderTest.decode(Http1Options.DEFAULTS, ("POST / HTTP/1.1\r\nHost: a\r\n"
                + "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\nabc").getBytes(StandardCharsets.US_ASCII),
                Feed.WHOLE);
        assertEquals(1, outcome.requests().size());
        assertEquals(0, outcome.requests().get(0).head().contentLength());
        assertEquals(0, outcome.requests().get(0).body().length);
    }

    @Test
    void decodesNothingMoreAfterAFailedHead() {
        EmbeddedChannel channel = Http1Channels.decoder(Http1Options.DEFAULTS);
        channel.writeInbound(Unpooled.copiedBuffer("GET / HTTP/9.9\r\nHost: a\r\n\r\n", StandardCharsets.US_ASCII));
        channel.writeInbound(Unpooled.copiedBuffer("GET / HTTP/1.1\r\nHost: a\r\n\r\n", StandardCharsets.US_ASCII));
        List<Decoded> all = Decoded.drain(channel);
        assertEquals(1, all.size());
        assertEquals(Fault.VERSION_NOT_SUPPORTED, all.get(0).head().failure().fault());
        assertFalse(channel.finish());
    }

    @Test
    void decodesNothingMoreAfterAFaultInsideABody() {
        EmbeddedChannel channel = Http1Channels.decoder(Http1Options.DEFAULTS);
        channel.writeInbound(Unpooled.copiedBuffer("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "2\r\nab\r\n", StandardCharsets.US_ASCII));
        DecoderException e = org.junit.jupiter.api.Assertions.assertThrows(DecoderException.class,
                () -> channel.writeInbound(Unpooled.copiedBuffer("zz\r\n", StandardCharsets.US_ASCII)));
        assertEquals("chunk-size line without a hex size", e.getCause().getMessage());
        channel.writeInbound(Unpooled.copiedBuffer("0\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n",
                StandardCharsets.US_ASCII));
        List<Decoded> all = Decoded.drain(channel);
        assertEquals(1, all.size());
        assertEquals("ab", new String(all.get(0).body(), StandardCharsets.US_ASCII));
        assertFalse(all.get(0).ended());
        assertFalse(channel.finish());
    }

    @Test
    void keepsUnderscoreNamesWhenAllowedButNeverAsFramingFields() {
        EnvironHead head = Http1DecoderTest.decodeOne(ALLOW_UNDERSCORES, "GET / HTTP/1.1\r\nHost: a\r\nX_Tenant: t1\r\n"
                + "Content_Length: 5\r\nTransfer_Encoding: chunked\r\nHo_st: spoof\r\n\r\n");
        assertFalse(head.isFailed());
        assertEquals("t1", head.environ().get("HTTP_X_TENANT"));
        assertEquals("spoof", head.environ().get("HTTP_HO_ST"));
        assertNull(head.environ().get("HTTP_CONTENT_LENGTH"));
        assertNull(head.environ().get("HTTP_TRANSFER_ENCODING"));
        assertEquals(0, head.contentLength());
    }

    @Test
    void joinsAnAllowedUnderscoreSpellingWithTheDashSpellingUnderOneKey() {
        EnvironHead head = Http1DecoderTest.decodeOne(ALLOW_UNDERSCORES, "GET / HTTP/1.1\r\nHost: a\r\nUser_Agent: one\r\n"
                + "User-Agent: two\r\nX-Forwarded-For: 10.0.0.1\r\nX_Forwarded_For: 10.0.0.2\r\n\r\n");
        assertEquals("one, two", head.environ().get("HTTP_USER_AGENT"));
        assertEquals("10.0.0.1, 10.0.0.2", head.environ().get("HTTP_X_FORWARDED_FOR"));
        long keys = java.util.stream.IntStream.range(0, head.environ().size())
                .filter(i -> head.environ().key(i).equals("HTTP_USER_AGENT")).count();
        assertEquals(1, keys, head.environ().toString());
    }
}
