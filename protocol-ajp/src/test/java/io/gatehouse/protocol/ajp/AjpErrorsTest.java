package io.gatehouse.protocol.ajp;

import static io.gatehouse.protocol.ajp.AjpRequestWriter.body;
import static io.gatehouse.protocol.ajp.AjpRequestWriter.join;
import static io.gatehouse.protocol.ajp.AjpRequestWriter.packet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.app.Headers;
import io.gatehouse.core.testing.Decoded;
import io.gatehouse.core.testing.Feed;
import io.gatehouse.core.testing.LeakCheck;
import io.gatehouse.spi.exchange.EnvironHead;
import io.gatehouse.spi.exchange.LastResponseChunk;
import io.gatehouse.spi.exchange.ProtocolException;
import io.gatehouse.spi.exchange.ResponseHead;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Refusals: a forward request that arrived whole but cannot be served becomes a failed head (answered, then the
 * connection closes); anything that breaks the packet stream closes the connection at once, and nothing after it
 * is decoded.
 */
@ExtendWith(LeakCheck.class)
class AjpErrorsTest {
    private EmbeddedChannel channel = AjpTestChannels.codec();

    @AfterEach
    void finish() {
        AjpReply.drain(channel);
        Decoded.drain(channel);
        assertFalse(channel.finish());
    }

    /** The refusal of a forward request the decoder could still answer. */
    private ProtocolException refused(byte[] input, Feed feed) {
        List<Decoded> all = Decoded.feed(channel, input, feed);
        assertEquals(1, all.size(), "one failed head");
        assertTrue(all.get(0).head().isFailed(), "failed head");
        return all.get(0).head().failure();
    }

    /** The error that closes the connection; input after it is skipped. */
    private ProtocolException closes(byte[] input, Feed feed) {
        byte[] withMore = join(input, AjpRequestWriter.get("/never").build());
        DecoderException e = assertThrows(DecoderException.class, () -> {
            for (ByteBuf part : feed.split(withMore)) {
                channel.writeInbound(part);
            }
        });
        assertTrue(Decoded.drain(channel).stream().noneMatch(d -> "/never".equals(d.env("PATH_INFO"))));
        return assertInstanceOf(ProtocolException.class, e.getCause());
    }

    @Test
    void refusesEveryTruncationOfAForwardRequestWith400() {
        byte[] payload = AjpRequestWriter.get("/t").ssl(true).header("X-A", "b").query("q=1").keySize(128)
                .secret("s").requestAttribute("AJP_LOCAL_ADDR", "1.2.3.4").payload();
        for (int cut = 1; cut < payload.length; cut++) {
            channel = AjpTestChannels.codec();
            ProtocolException e = refused(packet(Arrays.copyOf(payload, cut)), Feed.WHOLE);
            assertEquals(400, e.fault().status(), "cut at " + cut + ": " + e.getMessage());
            finish();
        }
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void refusesMalformedForwardRequestsWith400(Feed feed) {
        List<AjpRequestWriter> bad = List.of(
                AjpRequestWriter.get(null),
                AjpRequestWriter.get("/").protocol(null),
                AjpRequestWriter.get("no-slash"),
                AjpRequestWriter.get("/bad%zzescape"),
                AjpRequestWriter.get("/truncated%4"),
                AjpRequestWriter.get("/sp ace"),
                AjpRequestWriter.get("/").methodCode(AjpConstants.STORED_METHOD_CODE),
                AjpRequestWriter.get("/").method("BAD METHOD"),
                AjpRequestWriter.get("/").header("X-Ctl", "a\rb"),
                AjpRequestWriter.get("/").header("Bad Name", "x"),
                AjpRequestWriter.get("/").header("Host", "second.example"),
                AjpRequestWriter.get("/").codedHeader(0xA000, "x"),
                AjpRequestWriter.get("/").header("Content-Length", "12a"),
                AjpRequestWriter.get("/").header("Content-Length", "5").header("Content-Length", "6"),
                AjpRequestWriter.get("/").header("Content-Length", "5").plainHeader("Transfer-Encoding", "chunked"),
                AjpRequestWriter.get("/").attribute(AjpConstants.ATTR_STORED_METHOD, null),
                AjpRequestWriter.get("/").attribute(0x0E, "x"));
        for (AjpRequestWriter w : bad) {
            channel = AjpTestChannels.codec();
            ProtocolException e = refused(w.build(), feed);
            assertEquals(400, e.fault().status(), e.getMessage());
            finish();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"/..", "/../x", "/a/../../x", "/%2e%2e/x", "/a/..%2F..%2Fetc/passwd", "//.."})
    void refusesAReqUriThatClimbsAboveTheRootWith400(String uri) {
        ProtocolException e = refused(AjpRequestWriter.get(uri).build(), Feed.WHOLE);
        assertEquals(400, e.fault().status());
        assertEquals("'..' in the path climbs above /", e.getMessage());
    }

    @Test
    void refusesIsSslThatIsNotABoolean() {
        byte[] payload = AjpRequestWriter.get("/").ssl(true).payload();
        byte[] plain = AjpRequestWriter.get("/").payload();
        for (int i = 0; i < payload.length; i++) {
            if (payload[i] != plain[i]) {
                payload[i] = 2;
            }
        }
        assertTrue(refused(packet(payload), Feed.WHOLE).getMessage().contains("is_ssl is 2"));
    }

    @Test
    void refusesUnknownMethodCodesAndTransferCodingsWith501() {
        assertEquals(501, refused(AjpRequestWriter.get("/").methodCode(0).build(), Feed.WHOLE).fault().status());
        finish();
        channel = AjpTestChannels.codec();
        ProtocolException e = refused(AjpRequestWriter.get("/").plainHeader("Transfer-Encoding", "gzip").build(),
                Feed.WHOLE);
        assertEquals(501, e.fault().status());
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void refusesRequestsWithoutTheRightSecretWith403(Feed feed) {
        for (String sent : Arrays.asList(null, "wrong", "s3cre", "s3cret!", "S3CRET")) {
            channel = AjpTestChannels.codec(AjpTestChannels.withSecret("s3cret"));
            AjpRequestWriter w = AjpRequestWriter.get("/");
            ProtocolException e = refused((sent == null ? w : w.secret(sent)).build(), feed);
            assertEquals(403, e.fault().status());
            assertTrue(e.fault().close());
            assertFalse(e.getMessage().contains("s3cret"), "the log line never shows the secret");
            finish();
        }
        channel = AjpTestChannels.codec(AjpTestChannels.withSecret("s3cret"));
        assertEquals(1, Decoded.feed(channel, AjpRequestWriter.get("/").secret("s3cret").build(), feed).size());
    }

    @Test
    void acceptsASecretTheListenerDoesNotAskFor() {
        List<Decoded> all = Decoded.feed(channel, AjpRequestWriter.get("/").secret("extra").build(), Feed.WHOLE);
        assertFalse(all.get(0).head().isFailed());
        all.get(0).head().environ().forEach((k, v) -> assertFalse(v.equals("extra"), k));
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void closesOnABrokenPacketStream(Feed feed) {
        assertTrue(closes(new byte[] {'G', 'E', 'T', ' '}, feed).getMessage().contains("bad packet magic 0x4745"));
        channel = AjpTestChannels.codec();
        assertTrue(closes(new byte[] {0x12, 0x35, 0, 1, 10}, feed).getMessage().contains("0x1235"));
        channel = AjpTestChannels.codec();
        assertTrue(closes(packet(new byte[0]), feed).getMessage().contains("empty packet outside a request body"));
        channel = AjpTestChannels.codec();
        assertTrue(closes(packet(new byte[] {7}), feed).getMessage().contains("unexpected packet type 7"));
        channel = AjpTestChannels.codec();
        assertTrue(closes(packet(new byte[] {10, 0}), feed).getMessage().contains("unexpected packet type 10"));
        channel = AjpTestChannels.codec();
        assertTrue(closes(body("unasked".getBytes()), feed).getMessage().contains("unexpected packet type 0"));
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void closesOnBrokenBodyPackets(Feed feed) {
        byte[] post = AjpRequestWriter.get("/p").method("POST").header("Content-Length", "10").build();
        ProtocolException e = closes(join(post, body("hello body!".getBytes())), feed);
        assertTrue(e.getMessage().contains("overruns the 10 bytes left"), e.getMessage());
        channel = AjpTestChannels.codec();
        e = closes(join(post, packet(new byte[] {0, 9, 'a', 'b'})), feed);
        assertTrue(e.getMessage().contains("body packet of 4 bytes holds a chunk of 9 bytes"), e.getMessage());
        channel = AjpTestChannels.codec();
        e = closes(join(post, packet(new byte[] {1})), feed);
        assertTrue(e.getMessage().contains("body packet of 1 bytes"), e.getMessage());
        channel = AjpTestChannels.codec();
        e = closes(join(post, AjpRequestWriter.emptyBody()), feed);
        assertTrue(e.getMessage().contains("request body ended after 0 of 10 bytes"), e.getMessage());
    }

    @Test
    void closesOnAForwardRequestBeforeTheResponseEnded() {
        byte[] get = AjpRequestWriter.get("/a").build();
        assertEquals(1, Decoded.feed(channel, get, Feed.WHOLE).size());
        ProtocolException e = closes(get, Feed.WHOLE);
        assertTrue(e.getMessage().contains("before the previous response ended"));
    }

    @Test
    void skipsEverythingAfterAFailedHead() {
        channel = AjpTestChannels.codec(AjpTestChannels.withSecret("s3cret"));
        List<Decoded> all = Decoded.feed(channel, join(AjpRequestWriter.get("/a").build(),
                AjpRequestWriter.get("/b").secret("s3cret").build()), Feed.WHOLE);
        assertEquals(1, all.size());
        channel.writeOutbound(new ResponseHead(all.get(0).head(), 403, null, new Headers(), 0, true),
                LastResponseChunk.STREAM_0);
        AjpReply reply = AjpReply.drain(channel);
        assertEquals(403, reply.status);
        assertEquals(0, reply.reuse, "reuse off");
        assertTrue(Decoded.feed(channel, AjpRequestWriter.get("/c").secret("s3cret").build(), Feed.WHOLE).isEmpty());
    }

    @Test
    void closesAtOnceAfterRefusingARequestWithoutABody() {
        channel = AjpTestChannels.codec(AjpTestChannels.withSecret("s3cret"));
        ProtocolException e = refused(AjpRequestWriter.get("/").header("Content-Length", "0").build(), Feed.WHOLE);
        assertEquals(403, e.fault().status());
        finish();
        channel = AjpTestChannels.codec(AjpTestChannels.withSecret("s3cret"));
        List<Decoded> post = Decoded.feed(channel, AjpRequestWriter.get("/").header("Content-Length", "5").build(),
                Feed.WHOLE);
        assertEquals(EnvironHead.UNKNOWN_LENGTH, post.get(0).head().contentLength(), "its body packet follows");
    }
}
