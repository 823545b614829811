package io.gatehouse.core.testing.vars;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.gatehouse.app.Environ;
import io.gatehouse.app.Headers;
import io.gatehouse.core.testing.Outbound;
import io.gatehouse.spi.exchange.EnvironHead;
import io.gatehouse.spi.exchange.InterimResponse;
import io.gatehouse.spi.exchange.LastResponseChunk;
import io.gatehouse.spi.exchange.ResponseChunk;
import io.gatehouse.spi.exchange.ResponseFile;
import io.gatehouse.spi.exchange.ResponseHead;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.FileRegion;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Responses as a {@link VarsProtocol} writes them: a status line, the fields, and the body as is, closed by the end
 * of the connection; the front server reads them as it reads a CGI or HTTP/1.x response.
 */
public abstract class VarsEncoderCases<O extends Record, W extends VarsRequestWriter<W>> extends VarsCodecCases<O, W> {

    protected VarsEncoderCases(VarsProtocol<O, W> wire) {
        super(wire);
    }

    @Override
    protected ChannelHandler codec() {
        return wire.encoder();
    }

    /** The head of a request of {@code method} in HTTP {@code version} (null: none given). */
    protected static EnvironHead request(String method, String version) {
        Environ env = new Environ().put("REQUEST_METHOD", method);
        if (version != null) {
            env.put("SERVER_PROTOCOL", version);
        }
        return new EnvironHead(env, 0, 0, false);
    }

    /** What the encoder wrote since the last call, as text. */
    protected String written() {
        return Outbound.drainText(channel);
    }

    /** A body chunk of {@code s}. */
    protected static ResponseChunk chunk(String s) {
        ByteBuf data = Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
        return new ResponseChunk(data, 0);
    }

    /** The status line for a request of HTTP/1.1. */
    private String status(String status) {
        return wire.statusLine("HTTP/1.1", status);
    }

    @Test
    public void writesAStatusLineFieldsAndTheBodyAsIs() {
        channel.writeOutbound(new ResponseHead(request("GET", "HTTP/1.1"), 200, null,
                Headers.of("Content-Type", "text/plain", "Set-Cookie", "a=1", "Set-Cookie", "b=2"), 5, true));
        channel.writeOutbound(chunk("hello"), LastResponseChunk.STREAM_0);
        assertEquals(status("200 OK") + "\r\nContent-Type: text/plain\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n"
                + "Content-Length: 5\r\n\r\nhello", written());
    }

    @Test
    public void leavesAStreamedBodyUnframed() {
        channel.writeOutbound(new ResponseHead(request("GET", "HTTP/1.1"), 200, null, new Headers(), -1, true));
        channel.writeOutbound(chunk("ab"), chunk("cd"), LastResponseChunk.STREAM_0);
        assertEquals(status("200 OK") + "\r\n\r\nabcd", written());
    }

    @Test
    public void keepsTheAppsOwnContentLengthAndDropsHopByHopFields() {
        channel.writeOutbound(new ResponseHead(request("GET", null), 404, "Gone Fishing",
                Headers.of("Content-Length", "3", "Connection", "keep-alive", "Transfer-Encoding", "chunked",
                        "Keep-Alive", "timeout=5"), 3, true));
        channel.writeOutbound(chunk("no\n"), LastResponseChunk.STREAM_0);
        assertEquals(wire.statusLine(null, "404 Gone Fishing") + "\r\nContent-Length: 3\r\n\r\nno\n", written());
    }

    @Test
    public void writesTheStatusLineTheRequestsVersionCallsFor() {
        channel.writeOutbound(new ResponseHead(request("GET", "HTTP/1.0"), 302, null,
                Headers.of("Location", "/x"), 0, true), LastResponseChunk.STREAM_0);
        assertEquals(wire.statusLine("HTTP/1.0", "302 Found") + "\r\nLocation: /x\r\nContent-Length: 0\r\n\r\n",
                written());
        channel.writeOutbound(new ResponseHead(request("GET", "HTTP/2.0"), 204, null, new Headers(), 0, true),
                LastResponseChunk.STREAM_0);
        assertEquals(wire.statusLine("HTTP/2.0", "204 No Content") + "\r\n\r\n", written());
    }

    @Test
    public void dropsTheBodyOfAHeadRequestButKeepsItsLength() {
        channel.writeOutbound(new ResponseHead(request("HEAD", "HTTP/1.1"), 200, null,
                Headers.of("Content-Type", "text/plain"), 5, true));
        channel.writeOutbound(chunk("hello"), LastResponseChunk.STREAM_0);
        assertEquals(status("200 OK") + "\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\n", written());
    }

    @Test
    public void dropsTheBodyOf304() {
        channel.writeOutbound(new ResponseHead(request("GET", "HTTP/1.1"), 304, null, Headers.of("ETag", "\"1\""),
                5, true));
        channel.writeOutbound(chunk("hello"), LastResponseChunk.STREAM_0);
        assertEquals(status("304 Not Modified") + "\r\nETag: \"1\"\r\n\r\n", written());
    }

    @Test
    public void passesFileRegionsThroughForZeroCopy(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("f.txt"), "0123456789");
        channel.writeOutbound(new ResponseHead(request("GET", "HTTP/1.1"), 200, null, new Headers(), 4, true));
        assertEquals(status("200 OK") + "\r\nContent-Length: 4\r\n\r\n", written());
        ResponseFile region = new ResponseFile(FileChannel.open(file, StandardOpenOption.READ), 3, 4, 0);
        channel.writeOutbound(region);
        FileRegion out = channel.readOutbound();
        assertSame(region, out);
        out.release();
        channel.writeOutbound(LastResponseChunk.STREAM_0);
        assertEquals("", written());
    }

    @Test
    public void swallowsInterimResponses() {
        channel.writeOutbound(InterimResponse.CONTINUE);
        assertEquals("", written());
    }
}
