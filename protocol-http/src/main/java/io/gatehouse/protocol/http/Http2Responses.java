package io.gatehouse.protocol.http;

import io.gatehouse.spi.exchange.InterimResponse;
import io.gatehouse.spi.exchange.LastResponseChunk;
import io.gatehouse.spi.exchange.ResponseAbort;
import io.gatehouse.spi.exchange.ResponseChunk;
import io.gatehouse.spi.exchange.ResponseFile;
import io.gatehouse.spi.exchange.ResponseHead;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * The core's responses as HTTP/2 frames: a head as HEADERS, body pieces as DATA (files read as the window allows), the
 * end as END_STREAM, an abort as RST_STREAM INTERNAL_ERROR. The last HEADERS or DATA of a stream is held back until
 * the next message or flush, so END_STREAM rides on it and a small response leaves as two frames in one write.
 * Output for a stream that is closed, reset or already ended is dropped; HEAD, 204 and 304 bodies too. When a
 * response ends before the client has sent all of its body, the stream is reset with NO_ERROR (RFC 9113 8.1), so
 * the client stops sending what nobody reads.
 */
final class Http2Responses {
    private final Http2Handler handler;
    private int heldStream;
    private Http2Headers heldHeaders;
    private ByteBuf heldData;

    Http2Responses(Http2Handler handler) {
        this.handler = handler;
    }

    /** Handles {@code msg} if it is a response message (true), else leaves it to the caller (false). */
    boolean write(Object msg, ChannelPromise promise) {
        int id = streamOf(msg);
        if (id < 0) {
            return false;
        }
        if (id == 0) {
            // a fault answered for the connection as a whole (the header timeout): HTTP/2 says it with GOAWAY
            ReferenceCountUtil.release(msg);
            promise.trySuccess();
            if (msg instanceof ResponseHead) {
                handler.context().close();
            }
            return true;
        }
        Http2StreamState state = handler.state(id);
        if (state != null && state.file != null) {
            if (state.queued == null) {
                state.queued = new ArrayDeque<>(4);
            }
            state.queued.add(msg);
            state.queued.add(promise);
            return true;
        }
        send(id, state, msg, promise);
        return true;
    }

    private void send(int id, Http2StreamState state, Object msg, ChannelPromise promise) {
        if (state == null || state.responseEnded) {
            drop(msg, promise);
        } else if (msg instanceof ResponseHead head) {
            head(id, state, head, promise);
        } else if (msg instanceof ResponseChunk chunk) {
            body(id, state, chunk.content(), promise);
        } else if (msg instanceof ResponseFile file) {
            file(id, state, file, promise);
        } else if (msg instanceof LastResponseChunk) {
            end(id, state, promise);
        } else if (msg instanceof InterimResponse interim) {
            if (!state.responseStarted) {
                releaseHeld();
                handler.encoder().writeHeaders(ctx(), id, new DefaultHttp2Headers()
                        .status(Integer.toString(interim.status())), 0, false, promise.unvoid());
            } else {
                promise.trySuccess();
            }
        } else {
            abort(id, state, promise);
        }
    }

    private void head(int id, Http2StreamState state, ResponseHead head, ChannelPromise promise) {
        if (state.responseStarted) {
            drop(head, promise);
            return;
        }
        if (head.close() && !head.request().isFailed() && !handler.connection().goAwaySent()) {
            // the listener is draining: no new streams, the open ones finish
            handler.goAway(ctx(), handler.connection().remote().lastStreamCreated(), Http2Error.NO_ERROR.code(),
                    Unpooled.EMPTY_BUFFER, ctx().newPromise());
        }
        releaseHeld();
        state.responseStarted = true;
        state.bodyless = head.bodyless();
        Http2Headers headers = Http2ResponseHeaders.of(head);
        if (promise.isVoid()) {
            heldStream = id;
            heldHeaders = headers;
        } else {
            handler.encoder().writeHeaders(ctx(), id, headers, 0, false, promise);
        }
    }

    private void body(int id, Http2StreamState state, ByteBuf data, ChannelPromise promise) {
        if (!state.responseStarted || state.bodyless || !data.isReadable()) {
            data.release();
            promise.trySuccess();
            return;
        }
        releaseHeld();
        if (promise.isVoid()) {
            heldStream = id;
            heldData = data;
        } else {
            handler.encoder().writeData(ctx(), id, data, 0, false, promise);
            handler.dataQueued(id);
        }
    }

    private void file(int id, Http2StreamState state, ResponseFile file, ChannelPromise promise) {
        promise.trySuccess();
        if (!state.responseStarted || state.bodyless || file.count() == 0) {
            file.release();
            return;
        }
        releaseHeld();
        state.file = new Http2FileBody(file);
        pumpFile(id);
    }

    /** Sends pieces of the stream's file while its window allows; once it is all out, what queued behind it goes. */
    void pumpFile(int id) {
        Http2StreamState state = handler.state(id);
        Http2Stream stream = handler.connection().stream(id);
        if (state == null || state.file == null) {
            return;
        }
        try {
            while (!state.file.done() && handler.connection().remote().flowController().isWritable(stream)) {
                handler.encoder().writeData(ctx(), id, state.file.next(ctx().alloc()), 0, false, ctx().newPromise());
            }
            handler.dataQueued(id);
        } catch (IOException e) {
            handler.warn("stream " + id + ": reading the response file failed: " + e.getMessage());
            handler.reset(id, state, Http2Error.INTERNAL_ERROR);
            return;
        }
        if (state.file.done()) {
            state.file.close();
            state.file = null;
            ArrayDeque<Object> queued = state.queued;
            state.queued = null;
            while (queued != null && !queued.isEmpty() && state.file == null) {
                send(id, state, queued.poll(), (ChannelPromise) queued.poll());
            }
            if (queued != null && !queued.isEmpty()) {
                state.queued = queued; // another file started: the rest waits for it
            }
        }
        ctx().flush();
    }

    private void end(int id, Http2StreamState state, ChannelPromise promise) {
        ChannelPromise done = promise.unvoid();
        if (heldStream == id && heldHeaders != null) {
            handler.encoder().writeHeaders(ctx(), id, heldHeaders, 0, true, done);
            heldHeaders = null;
        } else if (heldStream == id && heldData != null) {
            handler.encoder().writeData(ctx(), id, heldData, 0, true, done);
            heldData = null;
            handler.dataQueued(id);
        } else {
            releaseHeld();
            if (!state.responseStarted) {
                done.trySuccess();
                return;
            }
            handler.encoder().writeData(ctx(), id, Unpooled.EMPTY_BUFFER, 0, true, done);
        }
        state.responseEnded = true;
        done.addListener(f -> {
            Http2Stream stream = handler.connection().stream(id);
            if (f.isSuccess() && stream != null && stream.state().remoteSideOpen()) {
                handler.resetStream(ctx(), id, Http2Error.NO_ERROR.code(), ctx().newPromise());
                ctx().flush();
            }
        });
    }

    private void abort(int id, Http2StreamState state, ChannelPromise promise) {
        promise.trySuccess();
        if (heldStream == id) {
            discardHeld();
        }
        handler.reset(id, state, Http2Error.INTERNAL_ERROR);
    }

    /** Answers a refused request body with 413 if the app has not answered, then resets the stream. */
    void refuse(int id, Http2StreamState state, int status, String text) {
        if (!state.responseStarted && !state.responseEnded) {
            if (heldStream == id) {
                discardHeld();
            }
            releaseHeld();
            byte[] body = (text + "\n").getBytes(StandardCharsets.US_ASCII);
            Http2Headers headers = new DefaultHttp2Headers().status(Integer.toString(status))
                    .set("content-type", "text/plain; charset=utf-8").setInt("content-length", body.length);
            handler.encoder().writeHeaders(ctx(), id, headers, 0, false, ctx().newPromise());
            state.responseStarted = true;
            heldStream = id;
            heldData = Unpooled.wrappedBuffer(body);
            end(id, state, ctx().newPromise());
        }
        state.responseEnded = true;
        ctx().flush();
    }

    /** Writes what is held back (without END_STREAM): the next message is for another stream, or a flush came. */
    void releaseHeld() {
        if (heldHeaders != null) {
            handler.encoder().writeHeaders(ctx(), heldStream, heldHeaders, 0, false, ctx().newPromise());
            heldHeaders = null;
        }
        if (heldData != null) {
            handler.encoder().writeData(ctx(), heldStream, heldData, 0, false, ctx().newPromise());
            heldData = null;
            handler.dataQueued(heldStream);
        }
    }

    void discardHeld() {
        heldHeaders = null;
        if (heldData != null) {
            heldData.release();
            heldData = null;
        }
    }

    /** A stream closed or reset: drops what it still had in progress. */
    void forget(int id, Http2StreamState state) {
        if (heldStream == id) {
            discardHeld();
        }
        if (state.file != null) {
            state.file.close();
            state.file = null;
        }
        if (state.queued != null) {
            while (!state.queued.isEmpty()) {
                Object msg = state.queued.poll();
                ((ChannelPromise) state.queued.poll()).trySuccess();
                ReferenceCountUtil.release(msg);
            }
            state.queued = null;
        }
    }

    private static void drop(Object msg, ChannelPromise promise) {
        ReferenceCountUtil.release(msg);
        if (msg instanceof LastResponseChunk) {
            promise.tryFailure(new IOException("the stream is closed"));
        } else {
            promise.trySuccess();
        }
    }

    private static int streamOf(Object msg) {
        if (msg instanceof ResponseHead m) {
            return m.streamId();
        } else if (msg instanceof ResponseChunk m) {
            return m.streamId();
        } else if (msg instanceof ResponseFile m) {
            return m.streamId();
        } else if (msg instanceof LastResponseChunk m) {
            return m.streamId();
        } else if (msg instanceof ResponseAbort m) {
            return m.streamId();
        } else if (msg instanceof InterimResponse m) {
            return m.streamId();
        }
        return -1;
    }

    private ChannelHandlerContext ctx() {
        return handler.context();
    }
}
