package io.gatehouse.protocol.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.config.ConfigValueException;
import io.gatehouse.config.DataSize;
import io.gatehouse.core.testing.Decoded;
import io.gatehouse.core.testing.Feed;
import io.gatehouse.core.testing.LeakCheck;
import io.gatehouse.protocol.http.Http1DecoderTest.Outcome;
import io.gatehouse.spi.exchange.EnvironHead;
import io.gatehouse.spi.exchange.Fault;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every limit of {@link Http1Options} at N (accepted) and N + 1 (refused with its status), fed every way. */
@ExtendWith(LeakCheck.class)
class Http1LimitsTest {
    static final int LINE = 100;
    static final int SECTION = 200;
    static final int HEADERS = 5;
    static final int BODY = 1000;

    static Http1Options limits() {
        return new Http1Options(DataSize.ofBytes(LINE), DataSize.ofBytes(SECTION), HEADERS, DataSize.ofBytes(BODY),
                DataSize.ofKibibytes(256), false, null, null);
    }

    /** A request line of exactly {@code length} bytes, CRLF not counted. */
    static String requestLine(int length) {
        return "GET /" + "a".repeat(length - 14) + " HTTP/1.1";
    }

    static Outcome decode(String request, Feed feed) {
        return Http1DecoderTest.decode(limits(), request.getBytes(StandardCharsets.ISO_8859_1), feed);
    }

    static void assertAccepted(Outcome outcome) {
        assertNull(outcome.thrown());
        assertEquals(1, outcome.requests().size());
        assertFalse(outcome.requests().get(0).head().isFailed(), () -> outcome.requests().get(0).head().toString());
    }

    static void assertFailedHead(Outcome outcome, Fault fault, String detail) {
        assertNull(outcome.thrown());
        assertEquals(1, outcome.requests().size());
        EnvironHead head = outcome.requests().get(0).head();
        assertTrue(head.isFailed(), head::toString);
        assertEquals(fault, head.failure().fault());
        assertTrue(head.failure().getMessage().contains(detail), head.failure().getMessage());
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void acceptsRequestLineOfMaxRequestLine(Feed feed) {
        assertAccepted(decode(requestLine(LINE) + "\r\nHost: a\r\n\r\n", feed));
        assertAccepted(decode(requestLine(LINE) + "\nHost: a\n\n", feed));
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void rejectsRequestLineOverMaxRequestLineWith414(Feed feed) {
        assertFailedHead(decode(requestLine(LINE + 1) + "\r\nHost: a\r\n\r\n", feed), Fault.URI_TOO_LONG,
                "max-request-line 100 bytes");
        assertFailedHead(decode(requestLine(LINE + 1) + "\nHost: a\n\n", feed), Fault.URI_TOO_LONG, "100");
    }

    @Test
    void rejectsLongRequestLineBeforeItsEndArrives() {
        EmbeddedChannel channel = Http1Channels.decoder(limits());
        byte[] line = (requestLine(LINE + 1) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        channel.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOf(line, LINE + 1)));
        assertTrue(Decoded.drain(channel).isEmpty(), "N + 1 bytes can still be an N-byte line and its CR");
        channel.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(line, LINE + 1, LINE + 2)));
        List<Decoded> failed = Decoded.drain(channel);
        assertEquals(1, failed.size());
        assertEquals(Fault.URI_TOO_LONG, failed.get(0).head().failure().fault());
        channel.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(line, LINE + 2, line.length)));
        assertTrue(Decoded.drain(channel).isEmpty(), "input after a failed head is skipped");
        assertFalse(channel.finish());
    }

    /** A header section of exactly {@code length} bytes of field lines, line endings not counted. */
    static String headerSection(int length) {
        return "Host: a\r\nX-Pad: " + "p".repeat(length - 14) + "\r\n\r\n";
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void acceptsHeaderSectionOfMaxHeaderSize(Feed feed) {
        assertAccepted(decode("GET / HTTP/1.1\r\n" + headerSection(SECTION), feed));
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void rejectsHeaderSectionOverMaxHeaderSizeWith431(Feed feed) {
        assertFailedHead(decode("GET / HTTP/1.1\r\n" + headerSection(SECTION + 1), feed), Fault.HEADERS_TOO_LARGE,
                "max-header-size 200 bytes");
    }

    @Test
    void rejectsHeaderSectionWithoutEndOverMaxHeaderSizeWith431() {
        String endless = "GET / HTTP/1.1\r\nHost: a\r\nX-Pad: " + "p".repeat(SECTION);
        assertFailedHead(decode(endless, Feed.WHOLE), Fault.HEADERS_TOO_LARGE, "max-header-size");
    }

    static String fields(int count) {
        StringBuilder sb = new StringBuilder("GET / HTTP/1.1\r\nHost: a\r\n");
        for (int i = 1; i < count; i++) {
            sb.append("X-").append(i).append(": v\r\n");
        }
        return sb.append("\r\n").toString();
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void acceptsMaxHeadersFields(Feed feed) {
        assertAccepted(decode(fields(HEADERS), feed));
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void rejectsFieldsOverMaxHeadersWith431(Feed feed) {
        assertFailedHead(decode(fields(HEADERS + 1), feed), Fault.HEADERS_TOO_LARGE, "max-headers 5");
    }

    static byte[] body(int length) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) 'b');
        return b;
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void acceptsContentLengthOfMaxBodySize(Feed feed) {
        Outcome outcome = decode(Http1RequestWriter.request("POST", "/").body(body(BODY)).text(), feed);
        assertAccepted(outcome);
        assertEquals(BODY, outcome.requests().get(0).body().length);
    }

    @Test
    void rejectsContentLengthOverMaxBodySizeWith413BeforeTheBody() {
        String head = Http1RequestWriter.request("POST", "/").field("Content-Length", "1001").text();
        assertFailedHead(decode(head, Feed.WHOLE), Fault.PAYLOAD_TOO_LARGE, "Content-Length 1001 exceeds max-body-size 1000");
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void acceptsChunkedBodyOfMaxBodySize(Feed feed) {
        Outcome outcome = decode(Http1RequestWriter.request("POST", "/").chunked(body(BODY), 400, 400, 200).text(), feed);
        assertAccepted(outcome);
        assertEquals(BODY, outcome.requests().get(0).body().length);
        assertTrue(outcome.requests().get(0).ended());
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void rejectsChunkedBodyOverMaxBodySizeWith413(Feed feed) {
        Outcome outcome = decode(Http1RequestWriter.request("POST", "/").chunked(body(BODY + 1), 400, 400, 201).text(),
                feed);
        assertNotNull(outcome.thrown());
        assertEquals(Fault.PAYLOAD_TOO_LARGE, outcome.thrown().fault());
        assertTrue(outcome.thrown().getMessage().contains("1001 bytes exceeds max-body-size 1000"),
                outcome.thrown().getMessage());
        assertEquals(800, outcome.requests().get(0).body().length, "the chunk over the limit is not passed on");
        assertFalse(outcome.requests().get(0).ended());
    }

    @Test
    void placesNoLimitOnBodiesWhenMaxBodySizeIsZero() {
        Http1Options unlimited = new Http1Options(DataSize.ofBytes(LINE), DataSize.ofBytes(SECTION), HEADERS,
                DataSize.ofBytes(0), DataSize.ofKibibytes(4), false, null, null);
        byte[] big = body(100_000);
        Outcome outcome = Http1DecoderTest.decode(unlimited, Http1RequestWriter.request("POST", "/")
                .chunked(big, 60_000, 40_000).bytes(), Feed.WHOLE);
        assertEquals(100_000, outcome.requests().get(0).body().length);
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void decodesLinesLongerThanTheFirstCopyOfALine(Feed feed) {
        String path = "/" + "p".repeat(5000);
        String value = "v".repeat(3000);
        Outcome outcome = Http1DecoderTest.decode(Http1Options.DEFAULTS, ("POST " + path + " HTTP/1.1\r\nHost: a\r\n"
                + "X-Long: " + value + "\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\nX-T: " + value
                + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1), feed);
        assertNull(outcome.thrown());
        assertEquals(path, outcome.requests().get(0).head().environ().get("PATH_INFO"));
        assertEquals(value, outcome.requests().get(0).head().environ().get("HTTP_X_LONG"));
    }

    static String chunkedWithTrailers(String trailers) {
        return "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\n" + trailers + "\r\n";
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void boundsTrailersByMaxHeaderSizeAndMaxHeaders(Feed feed) {
        assertAccepted(decode(chunkedWithTrailers("T: " + "t".repeat(SECTION - 3) + "\r\n"), feed));
        Outcome tooBig = decode(chunkedWithTrailers("T: " + "t".repeat(SECTION - 2) + "\r\n"), feed);
        assertEquals(Fault.HEADERS_TOO_LARGE, tooBig.thrown().fault());
        assertAccepted(decode(chunkedWithTrailers("T: 1\r\n".repeat(HEADERS)), feed));
        Outcome tooMany = decode(chunkedWithTrailers("T: 1\r\n".repeat(HEADERS + 1)), feed);
        assertEquals(Fault.HEADERS_TOO_LARGE, tooMany.thrown().fault());
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void boundsChunkSizeLineAt4096Bytes(Feed feed) {
        String ext = ";e=" + "v".repeat(4096 - 2 - 4);
        String atLimit = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1" + ext + "\r\nx\r\n0\r\n\r\n";
        assertAccepted(decode(atLimit, feed));
        Outcome over = decode(atLimit.replace(ext, ext + "v"), feed);
        assertEquals(Fault.BAD_REQUEST, over.thrown().fault());
        assertTrue(over.thrown().getMessage().contains("4096"), over.thrown().getMessage());
    }

    @Test
    void checksOptionBoundsAtNAndNPlusOne() {
        assertEquals(64, options(64, 256).maxRequestLine().bytes());
        assertThrows(ConfigValueException.class, () -> options(63, 256));
        assertEquals(Http1Options.MAX_LINE, options(Http1Options.MAX_LINE, 256).maxRequestLine().bytes());
        assertThrows(ConfigValueException.class, () -> options(Http1Options.MAX_LINE + 1, 256));
        assertEquals(64, options(64, 64).maxHeaderSize().bytes());
        ConfigValueException e = assertThrows(ConfigValueException.class, () -> options(64, 63));
        assertEquals("max-header-size", e.key());
        assertEquals("63 (expected: 64..16777216)", e.getMessage());
    }

    static Http1Options options(long line, long section) {
        return new Http1Options(DataSize.ofBytes(line), DataSize.ofBytes(section), 100, DataSize.ofBytes(0),
                DataSize.ofKibibytes(256), false, null, null);
    }
}
