package io.gatehouse.protocol.http;

import static io.gatehouse.protocol.http.Http2Channels.first;
import static io.gatehouse.protocol.http.Http2Channels.frames;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.app.Headers;
import io.gatehouse.config.DataSize;
import io.gatehouse.core.testing.LeakCheck;
import io.gatehouse.core.testing.ListenerHarness;
import io.gatehouse.core.testing.LogCapture;
import io.gatehouse.protocol.http.Http2Wire.Frame;
import io.gatehouse.spi.exchange.Exchange;
import io.gatehouse.spi.protocol.ConnectionLimits;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every HTTP/2 limit at its bound and one past it, and the known attacks: rapid reset (CVE-2023-44487), CONTINUATION
 * flood (CVE-2024-27316) and a window kept at zero (floods from a client that does not read its acknowledgements
 * need a real socket: tests/ covers them). Each refusal is one WARN line naming the client and the limit.
 */
@ExtendWith(LeakCheck.class)
class Http2LimitsTest {
    private static final Consumer<Exchange> NEVER = exchange -> { };
    private LogCapture codecLog;

    @BeforeEach
    void captureCodecLog() {
        codecLog = LogCapture.of(Http2Handler.class);
    }

    @AfterEach
    void stopCapture() {
        codecLog.close();
    }

    /** The WARN lines of the listener and of the HTTP/2 codec. */
    private List<String> warnings(ListenerHarness h) {
        List<String> all = new ArrayList<>(h.warnings());
        all.addAll(codecLog.warnings());
        return all;
    }

    private static ListenerHarness started(Http1Options options, Consumer<Exchange> app, Http2Channels.Reader at) {
        ListenerHarness h = Http2Channels.open(options, app);
        h.feed(new Http2Wire().preface().take());
        frames(h, at);
        return h;
    }

    @Test
    void refusesTheStreamPastMaxConcurrentStreams() {
        Http2Channels.Reader at = new Http2Channels.Reader();
        try (ListenerHarness h = started(Http2Channels.h2c(2, 65536, 200, 10000, Duration.ofSeconds(30)), NEVER,
                at)) {
            h.feed(new Http2Wire().get(1, "/").get(3, "/").get(5, "/").take());
            List<Frame> frames = frames(h, at);
            assertEquals(Http2Error.REFUSED_STREAM.code(), first(frames, Http2Wire.RST_STREAM, 5).errorCode());
            assertTrue(frames.stream().noneMatch(f -> f.type() == Http2Wire.RST_STREAM && f.stream() < 5), "" + frames);
            h.channel().finishAndReleaseAll();
        }
    }

    @Test
    void refusesStreamsOpenedAfterItsGoAwayWithoutALogLine() {
        Http2Channels.Reader at = new Http2Channels.Reader();
        try (ListenerHarness h = started(Http2Channels.defaults(), NEVER, at)) {
            h.feed(new Http2Wire().get(1, "/").take());
            h.channel().close(); // a graceful close: GOAWAY, and stream 1 may still finish
            h.feed(new Http2Wire().get(3, "/").take());
            List<Frame> frames = frames(h, at);
            assertEquals(1, first(frames, Http2Wire.GOAWAY, 0).lastStreamId(), "" + frames);
            assertEquals(Http2Error.REFUSED_STREAM.code(), first(frames, Http2Wire.RST_STREAM, 3).errorCode());
            assertTrue(warnings(h).stream().noneMatch(l -> l.contains("stream 3")), "the client's race with the "
                    + "GOAWAY is not its fault: " + warnings(h));
            h.channel().finishAndReleaseAll();
        }
    }

    @Test
    void answers413ForAContentLengthOrABodyOverMaxBodySize() {
        Http1Options small = Http2Channels.h2c(new Http1Options(Http1Options.DEFAULTS.maxRequestLine(),
                Http1Options.DEFAULTS.maxHeaderSize(), 100, DataSize.ofBytes(1000),
                DataSize.ofKibibytes(256), false, null, null), 128, 65536, 200, 10000,
                Duration.ofSeconds(30));
        Http2Channels.Reader at = new Http2Channels.Reader();
        try (ListenerHarness h = started(small, ListenerHarness.echo(), at)) {
            h.feed(new Http2Wire().headers(1, Http2Wire.request("POST", "/").add("content-length", "1000"), false)
                    .data(1, new byte[1000], true).take());
            assertEquals("200", first(frames(h, at), Http2Wire.HEADERS, 1).headers().status().toString());
            h.feed(new Http2Wire().headers(3, Http2Wire.request("POST", "/").add("content-length", "1001"), false)
                    .take());
            assertEquals("413", first(frames(h, at), Http2Wire.HEADERS, 3).headers().status().toString());
            h.feed(new Http2Wire().headers(5, Http2Wire.request("POST", "/"), false).data(5, new byte[600], false)
                    .data(5, new byte[401], false).take());
            List<Frame> frames = frames(h, at);
            assertEquals("413", first(frames, Http2Wire.HEADERS, 5).headers().status().toString());
            first(frames, Http2Wire.RST_STREAM, 5);
            assertTrue(h.open(), "one stream's refusal leaves the connection open");
            assertTrue(warnings(h).stream().anyMatch(l -> l.contains("413") && l.contains("max-body-size 1000")),
                    warnings(h).toString());
            h.channel().finishAndReleaseAll();
        }
    }

    @Test
    void answers431PastMaxHeaders() {
        Http2Channels.Reader at = new Http2Channels.Reader();
        try (ListenerHarness h = started(Http2Channels.defaults(), Http2Channels.environ(), at)) {
            Http2Headers at100 = Http2Wire.request("GET", "/");
            Http2Headers at101 = Http2Wire.request("GET", "/");
            for (int i = 0; i < 100; i++) {
                at100.add("x-f" + i, "1");
                at101.add("x-f" + i, "1");
            }
            at101.add("x-one-more", "1");
            h.feed(new Http2Wire().headers(1, at100, true).headers(3, at101, true).take());
            List<Frame> frames = frames(h, at);
            assertEquals("200", first(frames, Http2Wire.HEADERS, 1).headers().status().toString());
            assertEquals("431", first(frames, Http2Wire.HEADERS, 3).headers().status().toString());
            assertTrue(warnings(h).stream().anyMatch(l -> l.contains("more than max-headers 100")), "" + warnings(h));
            h.channel().finishAndReleaseAll();
        }
    }

    @Test
    void closesWithEnhanceYourCalmPastMaxResets() {
        Http2Channels.Reader at = new Http2Channels.Reader();
        try (ListenerHarness h = started(Http2Channels.h2c(128, 65536, 50, 10000, Duration.ofSeconds(30)), NEVER,
                at)) {
            Http2Wire wire = new Http2Wire();
            for (int i = 0; i < 50; i++) {
                wire.get(1 + 2 * i, "/").rst(1 + 2 * i, Http2Error.CANCEL.code());
            }
            h.feed(wire.take());
            assertTrue(h.open(), "50 resets are within max-resets");
            h.feed(new Http2Wire().get(101, "/").rst(101, Http2Error.CANCEL.code()).take());
            Frame goAway = first(frames(h, at), Http2Wire.GOAWAY, 0);
            assertEquals(Http2Error.ENHANCE_YOUR_CALM.code(), goAway.errorCode());
            assertFalse(h.open());
            assertTrue(warnings(h).stream().anyMatch(l -> l.contains("ENHANCE_YOUR_CALM")), "" + warnings(h));
            h.channel().finishAndReleaseAll();
        }
    }

    @Test
    void boundsAHeaderBlockSpreadOverEndlessContinuationFrames() {
        Http2Channels.Reader at = new Http2Channels.Reader();
        try (ListenerHarness h = started(Http2Channels.defaults(), NEVER, at)) {
            Http2Wire wire = new Http2Wire();
            wire.frame(Http2Wire.HEADERS, 0, 1, wire.block(1, Http2Wire.request("GET", "/")));
            byte[] filler = new byte[4096];
            java.util.Arrays.fill(filler, (byte) 0x40); // literal fields, never ending the block
            for (int i = 0; i < 64 && h.open(); i++) {
                h.feed(wire.frame(Http2Wire.CONTINUATION, 0, 1, filler).take());
            }
            assertFalse(h.open(), "the connection is closed long before 256 KiB of header block");
            first(frames(h, at), Http2Wire.GOAWAY, 0);
            h.channel().finishAndReleaseAll();
        }
    }

    @Test
    void resetsAStreamWhoseWindowStaysClosedPastSendTimeout() {
        Http2Channels.Reader at = new Http2Channels.Reader();
        Consumer<Exchange> big = exchange -> {
            exchange.response().head(200, null, new Headers(), 70000);
            exchange.response().chunk(Unpooled.wrappedBuffer(new byte[70000]), true);
            exchange.response().end();
        };
        try (ListenerHarness h = started(Http2Channels.h2c(128, 65536, 200, 10000, Duration.ofSeconds(2)), big,
                at)) {
            h.feed(new Http2Wire().get(1, "/").get(3, "/").take());
            List<Frame> frames = new ArrayList<>(frames(h, at));
            assertTrue(frames.stream().noneMatch(f -> f.type() == Http2Wire.RST_STREAM), frames.toString());
            h.feed(new Http2Wire().windowUpdate(0, 1 << 20).windowUpdate(3, 1 << 20).take());
            h.advance(1000);
            assertTrue(frames(h, at).stream().noneMatch(f -> f.type() == Http2Wire.RST_STREAM));
            h.advance(1500);
            List<Frame> later = frames(h, at);
            assertEquals(Http2Error.CANCEL.code(), first(later, Http2Wire.RST_STREAM, 1).errorCode());
            assertTrue(later.stream().noneMatch(f -> f.type() == Http2Wire.RST_STREAM && f.stream() == 3), "" + later);
            assertTrue(h.open());
            assertTrue(warnings(h).stream().anyMatch(l -> l.contains("send-timeout 2000 ms")), "" + warnings(h));
            h.channel().finishAndReleaseAll();
        }
    }

    /**
     * body-timeout on HTTP/2: the stream whose app waits for bytes that never come gets 408 alone; a stream whose app
     * has not read what came (its client held back by the window, not to blame) and the connection go on.
     */
    @Test
    void answersOnlyTheStalledStreamPastBodyTimeout() {
        Http2Channels.Reader at = new Http2Channels.Reader();
        Consumer<Exchange> echo = ListenerHarness.echo();
        Consumer<Exchange> app = exchange -> {
            if (!exchange.environ().get("PATH_INFO").equals("/unread")) {
                echo.accept(exchange);
            }
        };
        ConnectionLimits limits = ConnectionLimits.defaults(new Http1Protocol()).withBodyTimeout(Duration.ofSeconds(2));
        try (ListenerHarness h = ListenerHarness.start(new Http1Protocol(), Http2Channels.defaults(), limits, app)) {
            h.feed(new Http2Wire().preface().take());
            frames(h, at);
            h.feed(new Http2Wire().headers(1, Http2Wire.request("POST", "/stalled"), false).data(1, new byte[10], false)
                    .headers(3, Http2Wire.request("POST", "/unread"), false).data(3, new byte[10], false).take());
            h.advance(1500);
            assertTrue(frames(h, at).stream().noneMatch(f -> f.type() == Http2Wire.HEADERS), "no answer yet");
            h.advance(1000);
            List<Frame> frames = frames(h, at);
            assertEquals("408", first(frames, Http2Wire.HEADERS, 1).headers().status().toString());
            assertTrue(frames.stream().noneMatch(f -> f.stream() == 3), frames.toString());
            h.advance(5000);
            assertTrue(frames(h, at).stream().noneMatch(f -> f.stream() == 3 || f.type() == Http2Wire.GOAWAY));
            assertTrue(h.open());
            assertEquals(1, warnings(h).stream().filter(l -> l.contains("body-timeout 2000 ms")).count(),
                    "" + warnings(h));
            // the client gives up the unread stream: its buffered body goes (a close would wait for it, gracefully)
            h.feed(new Http2Wire().rst(3, Http2Error.CANCEL.code()).take());
            h.channel().finishAndReleaseAll();
        }
    }
}
