package io.gatehouse.protocol.scgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.gatehouse.app.Environ;
import io.gatehouse.app.Headers;
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
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Responses as CGI responses with a Status field, the way front servers' SCGI modules read them. */
class ScgiEncoderTest {
    private final EmbeddedChannel channel = new EmbeddedChannel(new ScgiEncoder());

    @AfterEach
    void finish() {
        assertFalse(channel.finish());
    }

    private static EnvironHead request(String method, String protocol) {
        Environ env = new Environ().put("REQUEST_METHOD", method);
        if (protocol != null) {
            env.put("SERVER_PROTOCOL", protocol);
        }
        return new EnvironHead(env, 0, 0, false);
    }

    private String written() {
        StringBuilder out = new StringBuilder();
        Object msg;
        while ((msg = channel.readOutbound()) != null) {
            ByteBuf buf = (ByteBuf) msg;
            out.append(buf.toString(StandardCharsets.ISO_8859_1));
            buf.release();
        }
        return out.toString();
    }

    private static ByteBuf text(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
    }

    @Test
    void writesAStatusLineFieldsAndTheBodyAsIs() {
        channel.writeOutbound(new ResponseHead(request("GET", "HTTP/1.1"), 200, null,
                Headers.of("Content-Type", "text/plain", "Set-Cookie", "a=1", "Set-Cookie", "b=2"), 5, true));
        channel.writeOutbound(new ResponseChunk(text("hello"), 0), LastResponseChunk.STREAM_0);
        assertEquals("Status: 200 OK\r\nContent-Type: text/plain\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n"
                + "Content-Length: 5\r\n\r\nhello", written());
    }

    @Test
    void leavesAStreamedBodyUnframed() {
        channel.writeOutbound(new ResponseHead(request("GET", "HTTP/1.1"), 200, null, new Headers(), -1, true));
        channel.writeOutbound(new ResponseChunk(text("ab"), 0), new ResponseChunk(text("cd"), 0),
                LastResponseChunk.STREAM_0);
        assertEquals("Status: 200 OK\r\n\r\nabcd", written());
    }

    @Test
    void keepsTheAppsOwnContentLengthAndDropsHopByHopFields() {
        channel.writeOutbound(new ResponseHead(request("GET", null), 404, "Gone Fishing",
                Headers.of("Content-Length", "3", "Connection", "keep-alive", "Transfer-Encoding", "chunked",
                        "Keep-Alive", "timeout=5"), 3, true));
        channel.writeOutbound(new ResponseChunk(text("no\n"), 0), LastResponseChunk.STREAM_0);
        assertEquals("Status: 404 Gone Fishing\r\nContent-Length: 3\r\n\r\nno\n", written());
    }

    @Test
    void dropsAStatusFieldOfTheAppsOwn() {
        channel.writeOutbound(new ResponseHead(request("GET", "HTTP/1.1"), 201, null,
                Headers.of("Status", "200 OK", "Location", "/new"), 0, true), LastResponseChunk.STREAM_0);
        assertEquals("Status: 201 Created\r\nLocation: /new\r\nContent-Length: 0\r\n\r\n", written());
    }

    @Test
    void writesTheSameStatusFieldWhateverTheRequestsVersion() {
        channel.writeOutbound(new ResponseHead(request("GET", "HTTP/1.0"), 302, null,
                Headers.of("Location", "/x"), 0, true), LastResponseChunk.STREAM_0);
        assertEquals("Status: 302 Found\r\nLocation: /x\r\nContent-Length: 0\r\n\r\n", written());
        channel.writeOutbound(new ResponseHead(request("GET", "HTTP/2.0"), 204, null, new Headers(), 0, true),
                LastResponseChunk.STREAM_0);
        assertEquals("Status: 204 No Content\r\n\r\n", written());
    }

    @Test
    void dropsTheBodyOfAHeadRequestButKeepsItsLength() {
        channel.writeOutbound(new ResponseHead(request("HEAD", "HTTP/1.1"), 200, null,
                Headers.of("Content-Type", "text/plain"), 5, true));
        channel.writeOutbound(new ResponseChunk(text("hello"), 0), LastResponseChunk.STREAM_0);
        assertEquals("Status: 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\n", written());
    }

    @Test
    void dropsTheBodyOf304() {
        channel.writeOutbound(new ResponseHead(request("GET", "HTTP/1.1"), 304, null, Headers.of("ETag", "\"1\""),
                5, true));
        channel.writeOutbound(new ResponseChunk(text("hello"), 0), LastResponseChunk.STREAM_0);
        assertEquals("Status: 304 Not Modified\r\nETag: \"1\"\r\n\r\n", written());
    }

    @Test
    void passesFileRegionsThroughForZeroCopy(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("f.txt"), "0123456789");
        channel.writeOutbound(new ResponseHead(request("GET", "HTTP/1.1"), 200, null, new Headers(), 4, true));
        assertEquals("Status: 200 OK\r\nContent-Length: 4\r\n\r\n", written());
        ResponseFile region = new ResponseFile(FileChannel.open(file, StandardOpenOption.READ), 3, 4, 0);
        channel.writeOutbound(region);
        FileRegion out = channel.readOutbound();
        assertSame(region, out);
        out.release();
        channel.writeOutbound(LastResponseChunk.STREAM_0);
        assertEquals("", written());
    }

    @Test
    void swallowsInterimResponses() {
        channel.writeOutbound(InterimResponse.CONTINUE);
        assertEquals("", written());
    }
}
