package io.gatehouse.protocol.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.FileRegion;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Response heads and bodies as bytes on the wire, for every framing the encoder chooses. */
@ExtendWith(LeakCheck.class)
class Http1EncoderTest {
    static final String DATE = "Date: [A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT\r\n";

    @TempDir
    Path dir;
    final Http1Channels.CodecEvents events = new Http1Channels.CodecEvents();
    final EmbeddedChannel channel = Http1Channels.encoder(events);
    final List<ByteBuf> appBuffers = new ArrayList<>();
    final List<Object> passedThrough = new ArrayList<>();
    final List<Object> writes = new ArrayList<>();

    @AfterEach
    void finish() {
        assertFalse(channel.finish());
        for (ByteBuf b : appBuffers) {
            assertEquals(0, b.refCnt(), "app buffer not released");
        }
    }

    static EnvironHead request(String method, String version) {
        Environ env = new Environ();
        env.put("REQUEST_METHOD", method);
        env.put("SERVER_PROTOCOL", version);
        return new EnvironHead(env, 0, 0, true);
    }

    static ResponseHead head(EnvironHead request, int status, long length, String... fields) {
        return new ResponseHead(request, status, null, Headers.of(fields), length, false);
    }

    ResponseChunk chunk(String text) {
        ByteBuf b = Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
        appBuffers.add(b);
        return new ResponseChunk(b, 0);
    }

    /**
     * Writes the messages as the core does (void promises, except for the end of a response), then returns
     * everything that reached the socket as text.
     */
    String send(Object... messages) {
        for (Object m : messages) {
            if (m instanceof LastResponseChunk) {
                channel.write(m);
            } else {
                channel.write(m, channel.voidPromise());
            }
        }
        channel.flush();
        return received();
    }

    /** Writes the messages with promises of their own, returning the promises' outcome with the text. */
    String sendWithPromises(Object... messages) {
        List<io.netty.channel.ChannelFuture> futures = new ArrayList<>();
        for (Object m : messages) {
            futures.add(channel.write(m));
        }
        channel.flush();
        String text = received();
        for (io.netty.channel.ChannelFuture f : futures) {
            assertTrue(f.isSuccess(), "write promise not completed: " + f);
        }
        return text;
    }

    /** Everything that reached the socket so far, as text; counts the buffers in {@link #writes}. */
    String received() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Object o;
        while ((o = channel.readOutbound()) != null) {
            writes.add(o);
            if (o instanceof FileRegion f) {
                passedThrough.add(f);
            }
            out.writeBytes(Outbound.bytes(o));
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    static String withoutDate(String wire) {
        assertTrue(wire.matches("(?s).*\r\n" + DATE + ".*"), wire);
        return wire.replaceFirst(DATE, "");
    }

    @Test
    void writesStatusLineFieldsDateAndContentLengthForAKnownLength() {
        String wire = send(head(request("GET", "HTTP/1.1"), 200, 5, "Content-Type", "text/plain", "X-A", "caf\u00e9"),
                chunk("hello"), LastResponseChunk.STREAM_0);
        assertEquals("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-A: caf\u00e9\r\nContent-Length: 5\r\n\r\nhello",
                withoutDate(wire));
        assertFalse(events.closeAsked(), "the connection stays open");
    }

    @Test
    void keepsTheAppsDateAndReasonPhrase() {
        ResponseHead h = new ResponseHead(request("GET", "HTTP/1.1"), 299, "Fine Indeed",
                Headers.of("date", "Thu, 01 Jan 1970 00:00:00 GMT"), 0, false);
        assertEquals("HTTP/1.1 299 Fine Indeed\r\ndate: Thu, 01 Jan 1970 00:00:00 GMT\r\nContent-Length: 0\r\n\r\n",
                send(h, LastResponseChunk.STREAM_0));
    }

    @Test
    void chunksABodyOfUnknownLengthForHttp11() {
        String wire = send(head(request("GET", "HTTP/1.1"), 200, -1), chunk("hello"), chunk(""), chunk("world!"),
                LastResponseChunk.STREAM_0);
        assertEquals("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\nworld!\r\n0\r\n\r\n",
                withoutDate(wire));
        assertFalse(events.closeAsked(), "the connection stays open");
    }

    @Test
    void delimitsABodyOfUnknownLengthByClosingForHttp10() {
        String wire = send(head(request("GET", "HTTP/1.0"), 200, -1), chunk("hello"), LastResponseChunk.STREAM_0);
        assertEquals("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nhello", withoutDate(wire));
        assertTrue(events.closeAsked(), "the core is asked to close the connection after the response");
    }

    @Test
    void keepsAnHttp10ConnectionAliveWhenTheLengthIsKnown() {
        String wire = send(head(request("GET", "HTTP/1.0"), 200, 2), chunk("ok"), LastResponseChunk.STREAM_0);
        assertEquals("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nok", withoutDate(wire));
        assertFalse(events.closeAsked(), "the connection stays open");
    }

    @Test
    void answersHeadWithTheLengthButNoBody() {
        String wire = send(head(request("HEAD", "HTTP/1.1"), 200, 5), chunk("hello"), LastResponseChunk.STREAM_0);
        assertEquals("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", withoutDate(wire));
        String unknown = send(head(request("HEAD", "HTTP/1.1"), 200, -1), chunk("hello"), LastResponseChunk.STREAM_0);
        assertEquals("HTTP/1.1 200 OK\r\n\r\n", withoutDate(unknown));
        String big = send(head(request("HEAD", "HTTP/1.1"), 200, 5_000_000_000L), LastResponseChunk.STREAM_0);
        assertEquals("HTTP/1.1 200 OK\r\nContent-Length: 5000000000\r\n\r\n", withoutDate(big));
        assertFalse(events.closeAsked(), "the connection stays open");
    }

    @Test
    void sendsNoBodyAndNoInventedLengthWith204And304() {
        String noContent = send(head(request("GET", "HTTP/1.1"), 204, 5, "Content-Length", "5"), chunk("hello"),
                LastResponseChunk.STREAM_0);
        assertEquals("HTTP/1.1 204 No Content\r\n\r\n", withoutDate(noContent));
        String notModified = send(head(request("GET", "HTTP/1.1"), 304, 0, "ETag", "\"x\""), LastResponseChunk.STREAM_0);
        assertEquals("HTTP/1.1 304 Not Modified\r\nETag: \"x\"\r\n\r\n", withoutDate(notModified));
        String withLength = send(head(request("GET", "HTTP/1.1"), 304, 0, "Content-Length", "1234"),
                LastResponseChunk.STREAM_0);
        assertEquals("HTTP/1.1 304 Not Modified\r\nContent-Length: 1234\r\n\r\n", withoutDate(withLength));
        assertFalse(events.closeAsked(), "the connection stays open");
    }

    @Test
    void dropsTheAppsHopByHopAndFramingFields() {
        String wire = send(head(request("GET", "HTTP/1.1"), 200, 2, "Connection", "keep-alive", "Keep-Alive",
                "timeout=5", "Transfer-Encoding", "chunked", "TE", "trailers", "Upgrade", "h2c", "Proxy-Connection",
                "x", "Trailer", "X-T", "Content-Length", "999", "X-Kept", "1"), chunk("ok"), LastResponseChunk.STREAM_0);
        assertEquals("HTTP/1.1 200 OK\r\nX-Kept: 1\r\nContent-Length: 2\r\n\r\nok", withoutDate(wire));
    }

    @Test
    void honoursTheAppsConnectionClose() {
        String wire = send(head(request("GET", "HTTP/1.1"), 200, 2, "Connection", "Close"), chunk("ok"),
                LastResponseChunk.STREAM_0);
        assertEquals("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok", withoutDate(wire));
        assertTrue(events.closeAsked(), "the core is asked to close the connection after the response");
    }

    @Test
    void closesAfterAResponseTheCoreMarkedClose() {
        ResponseHead h = new ResponseHead(request("GET", "HTTP/1.1"), 400, null, new Headers(), 0, true);
        assertEquals("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                withoutDate(send(h, LastResponseChunk.STREAM_0)));
        assertTrue(events.closeAsked(), "the core is asked to close the connection after the response");
    }

    @Test
    void framesByTheAppsContentLengthWhenTheCoreHasNone() {
        String wire = send(head(request("GET", "HTTP/1.1"), 200, -1, "Content-Length", " 3 "), chunk("abc"),
                LastResponseChunk.STREAM_0);
        assertEquals("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc", withoutDate(wire));
        String invalid = send(head(request("GET", "HTTP/1.1"), 200, -1, "Content-Length", "3, 4"), chunk("abc"),
                LastResponseChunk.STREAM_0);
        assertEquals("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
                withoutDate(invalid));
    }

    @Test
    void cutsABodyLongerThanAnnouncedAndCloses() {
        String wire = send(head(request("GET", "HTTP/1.1"), 200, 3), chunk("hello"), chunk("more"),
                LastResponseChunk.STREAM_0);
        assertEquals("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nhel", withoutDate(wire));
        assertTrue(events.closeAsked(), "the core is asked to close the connection after the response");
    }

    @Test
    void closesAfterABodyShorterThanAnnounced() {
        String wire = send(head(request("GET", "HTTP/1.1"), 200, 10), chunk("hello"), LastResponseChunk.STREAM_0);
        assertEquals("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello", withoutDate(wire));
        assertTrue(events.closeAsked(), "the core is asked to close the connection after the response");
    }

    ResponseFile file(String content) throws IOException {
        Path f = Files.writeString(dir.resolve("f" + System.nanoTime()), content);
        FileChannel fc = FileChannel.open(f, StandardOpenOption.READ);
        return new ResponseFile(fc, 1, content.length() - 1, 0);
    }

    @Test
    void passesAFileRegionThroughForAKnownLength() throws IOException {
        ResponseFile f = file("xfile body");
        String wire = send(head(request("GET", "HTTP/1.1"), 200, 9), f, LastResponseChunk.STREAM_0);
        assertEquals("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nfile body", withoutDate(wire));
        assertEquals(List.of(f), passedThrough, "the region itself reaches the transport (zero-copy)");
        assertFalse(f.file().isOpen(), "releasing the region closes the file");
    }

    @Test
    void framesAFileInAChunkForAnUnknownLength() throws IOException {
        ResponseFile f = file("xfile body");
        String wire = send(head(request("GET", "HTTP/1.1"), 200, -1), chunk("<"), f, LastResponseChunk.STREAM_0);
        assertEquals("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\n<\r\n9\r\nfile body\r\n0\r\n\r\n",
                withoutDate(wire));
        assertEquals(List.of(f), passedThrough);
    }

    @Test
    void writesInterimResponses() {
        assertEquals("HTTP/1.1 100 Continue\r\n\r\n", send(InterimResponse.CONTINUE));
        assertEquals("HTTP/1.1 103 Informational\r\n\r\n", send(new InterimResponse(103, 0)));
    }

    @Test
    void continueThenFinalResponseOnOneConnection() {
        String wire = send(InterimResponse.CONTINUE, head(request("POST", "HTTP/1.1"), 201, 0),
                LastResponseChunk.STREAM_0);
        assertEquals("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n",
                withoutDate(wire));
    }

    @Test
    void framesEachPipelinedResponseOnItsOwn() {
        String first = send(head(request("GET", "HTTP/1.1"), 200, -1), chunk("a"), LastResponseChunk.STREAM_0);
        String second = send(head(request("HEAD", "HTTP/1.1"), 200, 1), chunk("b"), LastResponseChunk.STREAM_0);
        String third = send(head(request("GET", "HTTP/1.1"), 404, 1), chunk("c"), LastResponseChunk.STREAM_0);
        assertTrue(first.endsWith("\r\n\r\n1\r\na\r\n0\r\n\r\n"), first);
        assertTrue(second.endsWith("Content-Length: 1\r\n\r\n"), second);
        assertTrue(third.startsWith("HTTP/1.1 404 Not Found\r\n") && third.endsWith("\r\n\r\nc"), third);
        assertFalse(events.closeAsked(), "the connection stays open");
    }

    @Test
    void sendsASmallResponseAsOneBuffer() {
        String wire = send(head(request("GET", "HTTP/1.1"), 200, 5, "Content-Type", "text/plain"), chunk("hello"),
                LastResponseChunk.STREAM_0);
        assertTrue(wire.endsWith("\r\n\r\nhello"), wire);
        assertEquals(1, writes.stream().filter(w -> !(w instanceof ByteBuf b) || b.capacity() > 0).count(),
                "one buffer on the wire: " + writes);
        writes.clear();
        String chunked = send(head(request("GET", "HTTP/1.1"), 200, -1), chunk("a"), chunk("bc"),
                LastResponseChunk.STREAM_0);
        assertTrue(chunked.endsWith("\r\n\r\n1\r\na\r\n2\r\nbc\r\n0\r\n\r\n"), chunked);
        assertEquals(1, writes.size(), "one buffer on the wire: " + writes);
    }

    @Test
    void sendsAHeldHeadAtAFlush() {
        channel.write(head(request("GET", "HTTP/1.1"), 200, -1), channel.voidPromise());
        assertEquals("", received(), "the head waits for the body or a flush");
        channel.flush();
        assertTrue(received().startsWith("HTTP/1.1 200 OK\r\n"));
        assertEquals("3\r\nabc\r\n0\r\n\r\n", send(chunk("abc"), LastResponseChunk.STREAM_0));
    }

    @Test
    void passesALargeBodyPieceOnWithoutCopying() {
        ResponseChunk big = chunk("x".repeat(Http1Encoder.MERGE_LIMIT + 1));
        ByteBuf content = big.content();
        String wire = send(head(request("GET", "HTTP/1.1"), 200, Http1Encoder.MERGE_LIMIT + 1), big,
                LastResponseChunk.STREAM_0);
        assertTrue(wire.endsWith("x".repeat(Http1Encoder.MERGE_LIMIT + 1)));
        assertTrue(writes.stream().anyMatch(w -> w == content), "the app's buffer itself reaches the transport");
    }

    @Test
    void completesEveryPromiseWhenWritesAreNotHeld() {
        String wire = sendWithPromises(head(request("GET", "HTTP/1.1"), 200, -1), chunk("hi"), chunk(""),
                LastResponseChunk.STREAM_0);
        assertEquals("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n",
                withoutDate(wire));
        String head = sendWithPromises(head(request("HEAD", "HTTP/1.1"), 200, 3), chunk("abc"),
                LastResponseChunk.STREAM_0);
        assertEquals("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n", withoutDate(head));
    }

    @Test
    void dropsAHeldHeadWhenTheConnectionCloses() {
        ResponseHead h = head(request("GET", "HTTP/1.1"), 200, 5);
        channel.write(h, channel.voidPromise());
        channel.close();
        assertEquals("", received());
    }

    @Test
    void passesOtherMessagesOn() {
        ByteBuf raw = Unpooled.copiedBuffer("raw", StandardCharsets.US_ASCII);
        assertEquals("raw", send(raw));
        assertEquals(0, raw.refCnt());
    }
}
