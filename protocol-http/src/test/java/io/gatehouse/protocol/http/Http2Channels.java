package io.gatehouse.protocol.http;

import io.gatehouse.app.Headers;
import io.gatehouse.config.DataSize;
import io.gatehouse.core.testing.ListenerHarness;
import io.gatehouse.protocol.http.Http2Wire.Frame;
import io.gatehouse.spi.exchange.Exchange;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/** An h2c listener on an EmbeddedChannel (through the protocol's real setup), and what HTTP/2 tests share. */
final class Http2Channels {
    /** Options of an h2c listener with the given HTTP/2 limits. */
    static Http1Options h2c(int maxStreams, int window, int maxResets, int maxQueued, Duration sendTimeout) {
        return h2c(Http1Options.DEFAULTS, maxStreams, window, maxResets, maxQueued, sendTimeout);
    }

    static Http1Options h2c(Http1Options base, int maxStreams, int window, int maxResets, int maxQueued,
            Duration sendTimeout) {
        return base.withHttp2(new Http2Options(true, true, maxStreams, DataSize.ofBytes(window),
                DataSize.ofBytes(Math.max(window, 1 << 20)), DataSize.ofKibibytes(16), maxResets,
                Duration.ofSeconds(30), maxQueued, sendTimeout));
    }

    static Http1Options defaults() {
        return h2c(128, 65536, 200, 10000, Duration.ofSeconds(30));
    }

    static ListenerHarness open(Http1Options options, Consumer<Exchange> app) {
        return ListenerHarness.start(new Http1Protocol(), options, app);
    }

    /** An app that answers 200 with the environ as {@code KEY=value} lines, sorted. */
    static Consumer<Exchange> environ() {
        return exchange -> {
            StringBuilder text = new StringBuilder();
            Map<String, String> sorted = new TreeMap<>();
            exchange.environ().forEach(sorted::put);
            sorted.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
            byte[] body = text.toString().getBytes(StandardCharsets.ISO_8859_1);
            exchange.response().head(200, null, Headers.of("Content-Type", "text/plain"), body.length);
            exchange.response().chunk(Unpooled.wrappedBuffer(body), false);
            exchange.response().end();
        };
    }

    /** Where a test has read the server's output to, and its HPACK state (header blocks refer to earlier ones). */
    static final class Reader {
        int offset;
        final io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder hpack =
                new io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder(false);
    }

    /** The frames the server wrote since {@code from} last read. */
    static List<Frame> frames(ListenerHarness h, Reader from) {
        byte[] all = h.response();
        byte[] fresh = java.util.Arrays.copyOfRange(all, from.offset, all.length);
        from.offset = all.length;
        return Http2Wire.parse(fresh, from.hpack);
    }

    /** The DATA of {@code stream} in {@code frames}, as text. */
    static String body(List<Frame> frames, int stream) {
        StringBuilder out = new StringBuilder();
        frames.stream().filter(f -> f.type() == Http2Wire.DATA && f.stream() == stream).forEach(f -> out.append(f.text()));
        return out.toString();
    }

    static Frame first(List<Frame> frames, int type, int stream) {
        return frames.stream().filter(f -> f.type() == type && f.stream() == stream).findFirst()
                .orElseThrow(() -> new AssertionError("no frame of type " + type + " on stream " + stream + " in "
                        + frames));
    }

    private Http2Channels() {
    }
}
