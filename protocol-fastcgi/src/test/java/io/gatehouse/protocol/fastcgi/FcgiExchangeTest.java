package io.gatehouse.protocol.fastcgi;

import static io.gatehouse.protocol.fastcgi.FcgiRequestWriter.nginxParams;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.app.Headers;
import io.gatehouse.core.testing.Feed;
import io.gatehouse.core.testing.LeakCheck;
import io.gatehouse.spi.exchange.Exchange;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Requests through the codec and the core's exchange handler: multiplexed requests answered independently,
 * FCGI_ABORT_REQUEST reaching its exchange, FCGI_KEEP_CONN both ways, responses cut short.
 */
@ExtendWith(LeakCheck.class)
class FcgiExchangeTest {
    private final FcgiTestChannel ch = FcgiTestChannel.exchanges(FcgiOptions.DEFAULTS);

    @AfterEach
    void finish() {
        ch.finishClean();
    }

    static void answer(Exchange e, String text) {
        ByteBuf body = Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1);
        e.response().head(200, null, Headers.of("Content-Type", "text/plain"), body.readableBytes());
        e.response().chunk(body, false);
        e.response().end();
    }

    static byte[] get(int id, boolean keepConn, String uri) {
        return new FcgiRequestWriter().request(id, keepConn, nginxParams("GET", uri, ""), new byte[0]).bytes();
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void answersInterleavedRequestsEachOnItsOwn(Feed feed) {
        FcgiRequestWriter w = new FcgiRequestWriter().maxRecord(100);
        w.begin(1, FcgiConstants.ROLE_RESPONDER, true).begin(2, FcgiConstants.ROLE_RESPONDER, true);
        w.params(1, nginxParams("GET", "/one", "")).params(2, nginxParams("POST", "/two", "250"));
        w.stdinEnd(1).stdin(2, new byte[250]).stdinEnd(2);
        ch.write(w.bytes(), feed);
        assertEquals(2, ch.exchanges.size());
        answer(ch.exchange(2), "second");
        answer(ch.exchange(1), "first");
        FcgiRecordReader out = ch.output();
        assertTrue(out.stdoutText(1).startsWith("Status: 200 OK\r\n"), out.stdoutText(1));
        assertTrue(out.stdoutText(1).endsWith("\r\n\r\nfirst"), out.stdoutText(1));
        assertTrue(out.stdoutText(2).endsWith("\r\n\r\nsecond"), out.stdoutText(2));
        assertArrayEquals(new int[] {0, FcgiConstants.REQUEST_COMPLETE}, out.endRequest(1));
        assertArrayEquals(new int[] {0, FcgiConstants.REQUEST_COMPLETE}, out.endRequest(2));
        assertTrue(out.stdoutClosed(1) && out.stdoutClosed(2));
        int end1 = out.records().indexOf(out.of(FcgiRecordType.END_REQUEST, 1).get(0));
        int end2 = out.records().indexOf(out.of(FcgiRecordType.END_REQUEST, 2).get(0));
        assertTrue(end2 < end1, "request 2, answered first, ends first");
        assertTrue(ch.channel.isActive());
    }

    @Test
    void keepsTheConnectionForTheNextRequestWithKeepConn() {
        for (int i = 0; i < 3; i++) {
            ch.write(get(1, true, "/again"));
            answer(ch.exchanges.get(i), "n" + i);
            FcgiRecordReader out = ch.output();
            assertTrue(out.stdoutText(1).endsWith("n" + i));
            assertArrayEquals(new int[] {0, 0}, out.endRequest(1));
            assertTrue(ch.channel.isActive(), "FCGI_KEEP_CONN keeps the connection");
        }
    }

    @Test
    void closesAfterTheResponseWithoutKeepConn() {
        ch.write(get(1, false, "/once"));
        answer(ch.exchange(1), "bye");
        FcgiRecordReader out = ch.output();
        assertTrue(out.stdoutClosed(1));
        assertArrayEquals(new int[] {0, 0}, out.endRequest(1));
        assertFalse(ch.channel.isActive(), "without FCGI_KEEP_CONN the application closes the connection");
    }

    @Test
    void abortRequestEndsThatExchangeAloneAndFailsItsBodyRead() throws Exception {
        FcgiRequestWriter w = new FcgiRequestWriter();
        w.begin(1, FcgiConstants.ROLE_RESPONDER, true).params(1, nginxParams("POST", "/slow", "100")).stdin(1, new byte[40]);
        w.request(2, true, nginxParams("GET", "/other", ""), new byte[0]);
        ch.write(w.bytes());
        Exchange slow = ch.exchange(1);
        ByteBuf first = slow.body().take(TimeUnit.SECONDS.toNanos(1));
        assertEquals(40, first.readableBytes());
        first.release();
        ch.write(new FcgiRequestWriter().abort(1).bytes());
        assertTrue(slow.clientGone(), "the abort reaches the exchange");
        assertThrows(IOException.class, () -> slow.body().take(TimeUnit.SECONDS.toNanos(1)));
        assertFalse(slow.response().head(200, null, new Headers(), 0), "the aborted response takes no more");
        FcgiRecordReader out = ch.output();
        assertArrayEquals(new int[] {FcgiConstants.APP_STATUS_ABORTED, FcgiConstants.REQUEST_COMPLETE},
                out.endRequest(1));
        assertEquals(0, out.stdout(1).length);
        answer(ch.exchange(2), "still here");
        assertTrue(ch.output().stdoutText(2).endsWith("still here"));
        ch.write(new FcgiRequestWriter().stdin(1, new byte[60]).stdinEnd(1).bytes()); // the rest is skipped
        assertTrue(ch.channel.isActive());
    }

    @Test
    void abortCrossingTheEndRequestIsIgnored() {
        ch.write(get(1, true, "/quick"));
        answer(ch.exchange(1), "done");
        ch.output();
        ch.write(new FcgiRequestWriter().abort(1).bytes());
        assertEquals(0, ch.output().records().size());
        assertTrue(ch.channel.isActive());
    }

    @Test
    void abortWithoutKeepConnClosesAfterTheEndRequest() {
        FcgiRequestWriter w = new FcgiRequestWriter().begin(1, FcgiConstants.ROLE_RESPONDER, false);
        ch.write(w.params(1, nginxParams("GET", "/", "")).stdinEnd(1).abort(1).bytes());
        assertArrayEquals(new int[] {1, 0}, ch.output().endRequest(1));
        assertFalse(ch.channel.isActive());
    }

    @Test
    void responseCutShortAloneClosesTheConnection() {
        ch.write(get(1, true, "/fails"));
        Exchange e = ch.exchange(1);
        e.response().head(200, null, new Headers(), -1);
        e.response().chunk(Unpooled.copiedBuffer(new byte[10]), true);
        e.response().abort();
        FcgiRecordReader out = ch.output();
        assertEquals(0, out.of(FcgiRecordType.END_REQUEST, 1).size(), "web servers would take an end as success");
        assertFalse(ch.channel.isActive(), "the cut connection tells the web server the response is truncated");
    }

    @Test
    void responseCutShortBesideOthersEndsOnlyItself() {
        ch.write(get(1, true, "/fails"));
        ch.write(get(2, true, "/works"));
        Exchange e = ch.exchange(1);
        e.response().head(200, null, new Headers(), -1);
        e.response().chunk(Unpooled.copiedBuffer(new byte[10]), true);
        e.response().abort();
        FcgiRecordReader out = ch.output();
        assertArrayEquals(new int[] {FcgiConstants.APP_STATUS_ABORTED, 0}, out.endRequest(1));
        assertFalse(out.stdoutClosed(1), "no empty STDOUT: the stream did not end normally");
        answer(ch.exchange(2), "fine");
        assertTrue(ch.output().stdoutText(2).endsWith("fine"));
        assertTrue(ch.channel.isActive());
    }

    @Test
    void skipsTheRestOfABodyTheAppDidNotRead() {
        FcgiRequestWriter w = new FcgiRequestWriter().begin(1, FcgiConstants.ROLE_RESPONDER, true);
        ch.write(w.params(1, nginxParams("POST", "/early", "200000")).stdin(1, new byte[70_000]).bytes());
        answer(ch.exchange(1), "answered before the body");
        assertArrayEquals(new int[] {0, 0}, ch.output().endRequest(1));
        ch.write(new FcgiRequestWriter().stdin(1, new byte[130_000]).stdinEnd(1).bytes());
        ch.write(get(1, true, "/next"));
        assertEquals(2, ch.exchanges.size(), "the id is free again once its input is in");
        answer(ch.exchanges.get(1), "next");
        assertTrue(ch.output().stdoutText(1).endsWith("next"));
    }

    @Test
    void answersAFailedHeadInCgiFormAndClosesOnceIdle() {
        ch.write(new FcgiRequestWriter().request(1, true, nginxParams("POST", "/", "12x"), new byte[0]).bytes());
        FcgiRecordReader out = ch.output();
        assertTrue(out.stdoutText(1).startsWith("Status: 400 Bad Request\r\n"), out.stdoutText(1));
        assertFalse(out.stdoutText(1).contains("Connection:"), "hop-by-hop fields are the web server's business");
        assertArrayEquals(new int[] {0, 0}, out.endRequest(1));
        assertFalse(ch.channel.isActive());
    }
}
