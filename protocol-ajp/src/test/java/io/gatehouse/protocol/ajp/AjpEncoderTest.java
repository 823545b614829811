package io.gatehouse.protocol.ajp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.app.Environ;
import io.gatehouse.app.Headers;
import io.gatehouse.core.testing.LeakCheck;
import io.gatehouse.core.testing.Outbound;
import io.gatehouse.spi.exchange.EnvironHead;
import io.gatehouse.spi.exchange.InterimResponse;
import io.gatehouse.spi.exchange.LastResponseChunk;
import io.gatehouse.spi.exchange.ResponseChunk;
import io.gatehouse.spi.exchange.ResponseFile;
import io.gatehouse.spi.exchange.ResponseHead;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Responses as AJP packets: SEND_HEADERS, SEND_BODY_CHUNK within the packet size, framed files, END_RESPONSE. */
@ExtendWith(LeakCheck.class)
class AjpEncoderTest {
    private static final int MAX_DATA = 8192 - 8;
    private EmbeddedChannel channel = AjpTestChannels.codec();

    @TempDir
    Path dir;

    @AfterEach
    void finish() {
        AjpReply.drain(channel);
        assertFalse(channel.finish());
    }

    private static EnvironHead request(String method) {
        return new EnvironHead(new Environ().put("REQUEST_METHOD", method), 0, 0, true);
    }

    private AjpReply respond(String method, int status, Headers headers, long length, boolean close, Object... body) {
        channel.writeOutbound(new ResponseHead(request(method), status, null, headers, length, close));
        for (Object b : body) {
            channel.writeOutbound(b);
        }
        channel.writeOutbound(LastResponseChunk.STREAM_0);
        return AjpReply.drain(channel);
    }

    private static ResponseChunk chunk(byte[] data) {
        return new ResponseChunk(Unpooled.wrappedBuffer(data), 0);
    }

    private static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i % 251);
        }
        return b;
    }

    @Test
    void writesTheSmallestResponseAsMod_proxy_ajpReadsIt() {
        channel.writeOutbound(new ResponseHead(request("GET"), 200, null, Headers.of("Content-Type", "text/plain"),
                -1, false), chunk("hi".getBytes()), LastResponseChunk.STREAM_0);
        assertEquals("4142001904" + "00c8" + "00024f4b00" + "0001" + "a001" + "000a746578742f706c61696e00"
                + "4142000603" + "0002" + "6869" + "00" + "4142000205" + "01",
                HexFormat.of().formatHex(Outbound.drain(channel)));
    }

    @Test
    void codesEveryResponseHeaderNameThatHasACode() {
        Headers h = Headers.of("content-type", "text/html", "Content-Language", "en", "Content-Length", "0",
                "Date", "d", "Last-Modified", "lm", "LOCATION", "/x", "Set-Cookie", "a=1", "Set-Cookie", "b=2",
                "Set-Cookie2", "c", "Servlet-Engine", "se", "Status", "st", "WWW-Authenticate", "Basic",
                "X-Custom", "yes");
        AjpReply r = respond("GET", 302, h, 0, false);
        assertEquals(302, r.status);
        assertEquals("Found", r.reason);
        assertEquals(12, r.codedNames);
        assertEquals(13, r.headers.size());
        assertEquals("yes", r.header("X-Custom"));
        assertEquals(List.of("a=1", "b=2"), r.headers.stream().filter(x -> x[0].equals("Set-Cookie"))
                .map(x -> x[1]).toList());
    }

    @Test
    void dropsHopByHopFieldsAndAddsAKnownContentLength() {
        Headers h = Headers.of("Connection", "close", "Transfer-Encoding", "chunked", "Keep-Alive", "5");
        AjpReply r = respond("GET", 200, h, 5, false, chunk("hello".getBytes()));
        assertEquals(1, r.headers.size());
        assertEquals("5", r.header("Content-Length"));
        assertEquals("hello", r.bodyText());
        AjpReply set = respond("GET", 200, Headers.of("Content-Length", "5"), 5, false, chunk("hello".getBytes()));
        assertEquals(1, set.headers.size(), "the app's own Content-Length is not doubled");
    }

    @Test
    void sendsNoBodyForHeadOr204ButKeepsTheLengthOfHead() {
        AjpReply head = respond("HEAD", 200, new Headers(), 5, false, chunk("hello".getBytes()));
        assertEquals("5", head.header("Content-Length"));
        assertEquals(0, head.body.size());
        assertEquals(List.of(), head.bodyChunkSizes);
        assertEquals(1, head.reuse);
        AjpReply noContent = respond("GET", 204, new Headers(), 0, false);
        assertNull(noContent.header("Content-Length"));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 1023, 1024, MAX_DATA, MAX_DATA + 1, 3 * MAX_DATA + 17})
    void splitsBodyDataIntoPacketsOfAtMostPacketSize(int size) {
        byte[] data = pattern(size);
        AjpReply r = respond("GET", 200, new Headers(), size, false, chunk(data));
        assertArrayEquals(data, r.body.toByteArray());
        assertEquals((size + MAX_DATA - 1) / MAX_DATA, r.bodyChunkSizes.size());
        assertTrue(r.packetSizes.stream().allMatch(p -> p <= 8192), r.packetSizes.toString());
        assertEquals(Math.min(size, MAX_DATA) + 8, r.packetSizes.get(1), "a full packet is exactly packet-size");
    }

    @Test
    void usesTheWholeOfALargerPacketSize() {
        channel.finish();
        channel = AjpTestChannels.codec(AjpTestChannels.withPacketSize(65536));
        AjpReply r = respond("GET", 200, new Headers(), 100_000, false, chunk(pattern(100_000)));
        assertEquals(List.of(65528, 100_000 - 65528), r.bodyChunkSizes);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, MAX_DATA, MAX_DATA + 1, 3 * MAX_DATA + 5})
    void framesAFileAsItIsSentWithoutReadingItWhole(int size) throws IOException {
        byte[] content = pattern(size + 7);
        Path file = Files.write(dir.resolve("f" + size), content);
        ResponseFile region = new ResponseFile(FileChannel.open(file), 7, size, 0);
        channel.writeOutbound(new ResponseHead(request("GET"), 200, null, new Headers(), size, false), region,
                LastResponseChunk.STREAM_0);
        assertEquals(200, AjpReply.parse(Outbound.bytes(channel.readOutbound())).status);
        AjpFileRegion framed = channel.readOutbound();
        long packets = (size + MAX_DATA - 1) / MAX_DATA;
        assertEquals(size + 8 * packets, framed.count());
        byte[] sent = Outbound.transfer(framed, 997);
        framed.release();
        assertTrue(region.refCnt() == 0 && !region.file().isOpen(), "the file is closed with the region");
        AjpReply body = AjpReply.parse(sent);
        assertArrayEquals(Arrays.copyOfRange(content, 7, content.length), body.body.toByteArray());
        assertTrue(body.packetSizes.stream().allMatch(p -> p <= 8192));
        assertEquals(1, AjpReply.drain(channel).reuse);
    }

    @Test
    void endsWithReuseUnlessTheResponseClosesTheConnection() {
        assertEquals(1, respond("GET", 200, new Headers(), 0, false).reuse);
        assertEquals(0, respond("GET", 200, new Headers(), 0, true).reuse);
        assertTrue(channel.isOpen(), "the core closes (after a body packet on its way), not the encoder");
    }

    @Test
    void sendsAHeadOfExactlyPacketSizeAndAnswers500ForOneByteMore() {
        String fits = "v".repeat(8192 - 25);
        AjpReply ok = respond("GET", 200, Headers.of("X-Big", fits), -1, false, chunk("body".getBytes()));
        assertEquals(8192, ok.packetSizes.get(0));
        assertEquals(fits, ok.header("X-Big"));
        assertEquals("body", ok.bodyText());
        AjpReply over = respond("GET", 200, Headers.of("X-Big", fits + "v"), -1, false, chunk("body".getBytes()));
        assertEquals(500, over.status);
        assertEquals(0, over.body.size(), "the body of the refused head is dropped");
        assertEquals(0, over.reuse);
        assertFalse(channel.isOpen());
    }

    @Test
    void ignoresInterimResponsesWhichTheWebServerSendsItself() {
        channel.writeOutbound(InterimResponse.CONTINUE);
        assertEquals(0, Outbound.drain(channel).length);
    }
}
