package io.gatehouse.protocol.http;

import static io.gatehouse.protocol.http.Http2Channels.body;
import static io.gatehouse.protocol.http.Http2Channels.first;
import static io.gatehouse.protocol.http.Http2Channels.frames;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.app.Headers;
import io.gatehouse.core.testing.LeakCheck;
import io.gatehouse.core.testing.ListenerHarness;
import io.gatehouse.protocol.http.Http2Wire.Frame;
import io.gatehouse.spi.exchange.Exchange;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.Http2Headers;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * HTTP/2 streams through the listener (h2c, on an EmbeddedChannel): the environ they map to, the response frames,
 * connection-specific fields dropped, request bodies whose window returns only as the app reads, HTTP/1.1 still
 * served on an h2c listener.
 */
@ExtendWith(LeakCheck.class)
class Http2ListenerTest {

    @Test
    void mapsAStreamToTheSameEnvironAsHttp11() {
        try (ListenerHarness h = Http2Channels.open(Http2Channels.defaults(), Http2Channels.environ())) {
            Http2Wire wire = new Http2Wire().preface();
            Http2Headers headers = Http2Wire.request("GET", "/a%20b/c?x=1&y=%20").add("cookie", "a=1")
                    .add("cookie", "b=2").add("x-thing", "one").add("x-thing", "two").add("x_user", "mallory")
                    .add("proxy", "evil");
            h.feed(wire.headers(1, headers, true).take());
            List<Frame> frames = frames(h, new Http2Channels.Reader());
            Frame head = first(frames, Http2Wire.HEADERS, 1);
            assertEquals("200", head.headers().status().toString());
            String env = body(frames, 1);
            for (String line : List.of("SERVER_PROTOCOL=HTTP/2", "REQUEST_METHOD=GET", "PATH_INFO=/a b/c",
                    "QUERY_STRING=x=1&y=%20", "REQUEST_URI=/a%20b/c?x=1&y=%20", "HTTP_HOST=example.org",
                    "SERVER_NAME=example.org", "HTTP_COOKIE=a=1; b=2", "HTTP_X_THING=one, two",
                    "wsgi.url_scheme=http")) {
                assertTrue(env.contains("\n" + line + "\n") || env.startsWith(line + "\n"), line + " in\n" + env);
            }
            assertFalse(env.contains("mallory") || env.contains("HTTP_PROXY"), env);
            assertTrue(frames.stream().anyMatch(f -> f.stream() == 1 && f.has(Http2Wire.END_STREAM)), "stream ends");
            h.channel().finishAndReleaseAll();
        }
    }

    /** The same dot segments as over HTTP/1.1 (Http1TargetTest): removed from PATH_INFO, kept in REQUEST_URI. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {"/public/../admin|/admin", "/a/./b//c|/a/b/c", "/a/%2E%2e/b|/b",
        "/a/b/..|/a/"})
    void removesDotSegmentsFromThePathAsHttp11Does(String path, String pathInfo) {
        try (ListenerHarness h = Http2Channels.open(Http2Channels.defaults(), Http2Channels.environ())) {
            h.feed(new Http2Wire().preface().headers(1, Http2Wire.request("GET", path), true).take());
            List<Frame> frames = frames(h, new Http2Channels.Reader());
            assertEquals("200", first(frames, Http2Wire.HEADERS, 1).headers().status().toString());
            String env = body(frames, 1);
            assertTrue(env.contains("\nPATH_INFO=" + pathInfo + "\n"), env);
            assertTrue(env.contains("\nREQUEST_URI=" + path + "\n"), env);
            h.channel().finishAndReleaseAll();
        }
    }

    @Test
    void answers400ToAPathThatClimbsAboveTheRootAndServesTheNextStream() {
        try (ListenerHarness h = Http2Channels.open(Http2Channels.defaults(), Http2Channels.environ())) {
            h.feed(new Http2Wire().preface().headers(1, Http2Wire.request("GET", "/public/../../admin"), true)
                    .headers(3, Http2Wire.request("GET", "/public/../admin"), true).take());
            List<Frame> frames = frames(h, new Http2Channels.Reader());
            assertEquals("400", first(frames, Http2Wire.HEADERS, 1).headers().status().toString());
            assertEquals("200", first(frames, Http2Wire.HEADERS, 3).headers().status().toString());
            assertTrue(h.open(), "one stream's refusal leaves the connection open");
            assertEquals(1, h.warnings().size(), h.warnings().toString());
            assertTrue(h.warnings().get(0).contains("400") && h.warnings().get(0).contains("climbs above /"),
                    h.warnings().get(0));
            h.channel().finishAndReleaseAll();
        }
    }

    @Test
    void dropsConnectionSpecificResponseFieldsAndFramesSmallResponsesAsTwoFrames() {
        try (ListenerHarness h = Http2Channels.open(Http2Channels.defaults(), exchange -> {
            exchange.response().head(200, null, Headers.of("Connection", "close", "Keep-Alive", "timeout=5",
                    "Transfer-Encoding", "chunked", "Upgrade", "h2c", "Proxy-Connection", "keep-alive",
                    "X-Kept", "yes"), 5);
            exchange.response().chunk(Unpooled.copiedBuffer("hello", StandardCharsets.US_ASCII), false);
            exchange.response().end();
        })) {
            Http2Channels.Reader at = new Http2Channels.Reader();
            h.feed(new Http2Wire().preface().take());
            frames(h, at);
            h.feed(new Http2Wire().get(1, "/").take());
            List<Frame> frames = frames(h, at);
            Http2Headers headers = first(frames, Http2Wire.HEADERS, 1).headers();
            for (String gone : List.of("connection", "keep-alive", "transfer-encoding", "upgrade",
                    "proxy-connection")) {
                assertNull(headers.get(gone), gone + " in " + headers);
            }
            assertEquals("yes", headers.get("x-kept").toString());
            assertEquals("5", headers.get("content-length").toString());
            assertTrue(headers.contains("date"), headers.toString());
            List<Frame> stream1 = frames.stream().filter(f -> f.stream() == 1).toList();
            assertEquals(2, stream1.size(), stream1.toString());
            assertTrue(stream1.get(1).has(Http2Wire.END_STREAM));
            assertEquals("hello", body(frames, 1));
            h.channel().finishAndReleaseAll();
        }
    }

    @Test
    void answeredStreamsLeaveNoStallCheckBehind() {
        try (ListenerHarness h = Http2Channels.open(Http2Channels.defaults(), Http2Channels.environ())) {
            Http2Channels.Reader at = new Http2Channels.Reader();
            h.feed(new Http2Wire().preface().take());
            for (int id = 1; id < 100; id += 2) {
                h.feed(new Http2Wire().get(id, "/").take());
            }
            List<Frame> frames = frames(h, at);
            assertEquals(50, frames.stream().filter(f -> f.type() == Http2Wire.DATA && f.has(Http2Wire.END_STREAM))
                    .count(), "every stream answered");
            assertEquals(0, h.channel().pipeline().get(Http2Handler.class).stallChecks(),
                    "a stall check scheduled for a closed stream");
            h.channel().finishAndReleaseAll();
        }
    }

    @Test
    void returnsTheWindowOfABodyOnlyAsTheAppReadsIt() {
        AtomicReference<Exchange> held = new AtomicReference<>();
        try (ListenerHarness h = Http2Channels.open(Http2Channels.defaults(), held::set)) {
            Http2Channels.Reader at = new Http2Channels.Reader();
            h.feed(new Http2Wire().preface().take());
            frames(h, at);
            Http2Wire wire = new Http2Wire().headers(1, Http2Wire.request("POST", "/up"), false);
            byte[] piece = new byte[16384];
            for (int i = 0; i < 3; i++) {
                wire.data(1, piece, false);
            }
            h.feed(wire.take());
            assertTrue(frames(h, at).stream().noneMatch(f -> f.type() == Http2Wire.WINDOW_UPDATE),
                    "no window comes back before the app reads");
            ByteBuf taken = Unpooled.buffer();
            for (int i = 0; i < 3; i++) {
                held.get().body().read(new io.gatehouse.spi.exchange.RequestBody.Receiver() {
                    @Override
                    public void onData(ByteBuf data, boolean last) {
                        taken.writeBytes(data);
                        data.release();
                    }

                    @Override
                    public void onError(java.io.IOException cause) {
                        throw new AssertionError(cause);
                    }
                });
            }
            h.channel().runPendingTasks();
            List<Frame> after = frames(h, at);
            int returned = after.stream().filter(f -> f.type() == Http2Wire.WINDOW_UPDATE && f.stream() == 1)
                    .mapToInt(Frame::windowIncrement).sum();
            assertEquals(3 * 16384, taken.readableBytes());
            assertTrue(returned >= 32768, "the stream's window came back once read: " + after);
            taken.release();
            held.get().response().error(200, null);
            h.channel().runPendingTasks();
            h.channel().finishAndReleaseAll();
        }
    }

    @Test
    void resetsWithNoErrorAStreamAnsweredBeforeItsBodyEnded() {
        try (ListenerHarness h = Http2Channels.open(Http2Channels.defaults(), ListenerHarness.ignoreBody())) {
            Http2Channels.Reader at = new Http2Channels.Reader();
            h.feed(new Http2Wire().preface().take());
            frames(h, at);
            h.feed(new Http2Wire().headers(1, Http2Wire.request("POST", "/"), false).data(1, new byte[10], false)
                    .take());
            List<Frame> frames = frames(h, at);
            assertEquals("204", first(frames, Http2Wire.HEADERS, 1).headers().status().toString());
            assertEquals(0, first(frames, Http2Wire.RST_STREAM, 1).errorCode(), "NO_ERROR");
            h.channel().finishAndReleaseAll();
        }
    }

    @Test
    void stillServesHttp11OnAnH2cListener() {
        try (ListenerHarness h = Http2Channels.open(Http2Channels.defaults(), Http2Channels.environ())) {
            h.feed("GET /one HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String text = h.responseText();
            assertTrue(text.startsWith("HTTP/1.1 200 OK\r\n"), text);
            assertTrue(text.contains("SERVER_PROTOCOL=HTTP/1.1"), text);
            h.channel().finishAndReleaseAll();
        }
    }
}
