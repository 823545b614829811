package io.gatehouse.protocol.http;

import io.gatehouse.spi.exchange.BodyConsumed;
import io.gatehouse.spi.exchange.RequestAbort;
import io.gatehouse.spi.exchange.StreamWritability;
import io.gatehouse.spi.protocol.CodecEvent;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2LocalFlowController;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * HTTP/2 on one connection (RFC 9113), between Netty's codec (framing, HPACK, stream states, flow control and its
 * flood limits) and the core, which sees each stream as one exchange ({@link CodecEvent#MULTIPLEXED_STREAMS}).
 * Requests come up from {@link Http2Requests}; responses go down through {@link Http2Responses}. This class owns the
 * connection-wide parts: the connection window, what the app consumed of each body (WINDOW_UPDATEs only then),
 * each stream's writability and the stall limit (send-timeout), and one WARN line per refusal.
 */
final class Http2Handler extends Http2ConnectionHandler {
    private static final Logger LOG = Logger.getLogger(Http2Handler.class.getName());

    private final String listener;
    private final Http2Options options;
    private final Http2Connection.PropertyKey stateKey;
    private final Http2Responses responses;
    private ChannelHandlerContext ctx;
    private boolean windowOpened;
    private int stallChecks;

    Http2Handler(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder, Http2Settings settings,
            String listener, Http2Options options) {
        super(decoder, encoder, settings);
        this.listener = listener;
        this.options = options;
        this.stateKey = connection().newKey();
        this.responses = new Http2Responses(this);
        connection().addListener(new Http2ConnectionAdapter() {
            @Override
            public void onStreamAdded(Http2Stream stream) {
                stream.setProperty(stateKey, new Http2StreamState());
            }

            @Override
            public void onStreamClosed(Http2Stream stream) {
                streamClosed(stream);
            }
        });
        connection().remote().flowController().listener(this::writabilityChanged);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        this.ctx = ctx;
        super.handlerAdded(ctx);
        openConnectionWindow();
        ctx.fireUserEventTriggered(CodecEvent.MULTIPLEXED_STREAMS);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        super.channelActive(ctx);
        openConnectionWindow();
    }

    /** Widens the connection window past the protocol's 65535 once our SETTINGS are out, so streams run side by side. */
    private void openConnectionWindow() throws Http2Exception {
        if (windowOpened || !ctx.channel().isActive()) {
            return;
        }
        windowOpened = true;
        Http2LocalFlowController flow = connection().local().flowController();
        int delta = (int) options.connectionWindowSize().bytes() - flow.windowSize(connection().connectionStream());
        if (delta > 0) {
            flow.incrementWindowSize(connection().connectionStream(), delta);
            ctx.flush();
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof BodyConsumed consumed) {
            consume(consumed);
            promise.trySuccess();
        } else if (!responses.write(msg, promise)) {
            responses.releaseHeld();
            super.write(ctx, msg, promise);
        }
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        responses.releaseHeld();
        super.flush(ctx);
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) throws Exception {
        responses.discardHeld();
        super.close(ctx, promise);
    }

    @Override
    public void handlerRemoved0(ChannelHandlerContext ctx) throws Exception {
        responses.discardHeld();
        super.handlerRemoved0(ctx);
    }

    /** The app took bytes of a stream's body: the client may send that many more (WINDOW_UPDATE when due). */
    private void consume(BodyConsumed consumed) throws Http2Exception {
        Http2Stream stream = connection().stream(consumed.streamId());
        if (stream == null) {
            return; // closed: Netty gave its unconsumed bytes back to the connection window
        }
        Http2LocalFlowController flow = connection().local().flowController();
        int bytes = Math.min(consumed.bytes(), flow.unconsumedBytes(stream));
        if (bytes > 0 && flow.consumeBytes(stream, bytes)) {
            ctx.flush();
        }
    }

    /**
     * A stream's window opened or closed (or the socket's): the core hears of it, so the app's writers wait for
     * this stream alone; a file in progress goes on; a stream that stays closed past send-timeout is reset.
     */
    private void writabilityChanged(Http2Stream stream) {
        Http2StreamState state = stream.getProperty(stateKey);
        if (state == null || stream.state() == Http2Stream.State.CLOSED) {
            // Netty cancels a closing stream's flow state and calls it unwritable: that is no stall, and a check
            // scheduled for each closed stream would pile up send-timeout's worth of them (millions under load)
            return;
        }
        boolean writable = connection().remote().flowController().isWritable(stream);
        int id = stream.id();
        if (writable) {
            state.blocked = false;
        } else if (!state.blocked) {
            state.blocked = true;
            state.blockedSince = ctx.executor().ticker().nanoTime();
            scheduleStallCheck(id, state, options.sendTimeout().toNanos());
        }
        // Netty also tells of streams that were never blocked (each new one): the core hears only of a change from
        // what it was last told, so a small response costs no task
        boolean tell = writable == state.toldBlocked;
        boolean pump = writable && state.file != null;
        if (!tell && !pump) {
            return;
        }
        state.toldBlocked = !writable;
        // not from inside the flow controller: the core's writers may write again at once
        ctx.executor().execute(() -> {
            if (pump) {
                responses.pumpFile(id);
            }
            if (tell) {
                ctx.fireChannelRead(new StreamWritability(id, writable));
            }
        });
    }

    /**
     * DATA was queued on a stream: if that left it without window, treat it as a change of writability. Netty tells
     * only of changes, and a stream whose window was zero from the start (the client's initial window) never was
     * writable, so it would never hear of one.
     */
    void dataQueued(int id) {
        Http2Stream stream = connection().stream(id);
        Http2StreamState state = stream == null ? null : stream.getProperty(stateKey);
        if (state != null && !state.blocked && !connection().remote().flowController().isWritable(stream)) {
            writabilityChanged(stream);
        }
    }

    private void scheduleStallCheck(int id, Http2StreamState state, long nanos) {
        if (state.stallCheck || options.sendTimeout().isZero()) {
            return;
        }
        state.stallCheck = true;
        stallChecks++;
        ctx.executor().schedule(() -> checkStall(id), nanos, TimeUnit.NANOSECONDS);
    }

    /** The stall checks scheduled and not yet run. */
    int stallChecks() {
        return stallChecks;
    }

    private void checkStall(int id) {
        stallChecks--;
        Http2Stream stream = connection().stream(id);
        Http2StreamState state = stream == null ? null : stream.getProperty(stateKey);
        if (state == null) {
            return;
        }
        state.stallCheck = false;
        if (!state.blocked) {
            return;
        }
        long left = options.sendTimeout().toNanos() - (ctx.executor().ticker().nanoTime() - state.blockedSince);
        if (left > 0) {
            scheduleStallCheck(id, state, left);
            return;
        }
        warn("stream " + id + " reset: the client kept its flow-control window closed for send-timeout "
                + options.sendTimeout().toMillis() + " ms");
        reset(id, state, Http2Error.CANCEL);
    }

    /** Ends a stream with RST_STREAM: its response goes no further, and the core hears the client is gone. */
    void reset(int id, Http2StreamState state, Http2Error error) {
        state.responseEnded = true;
        responses.forget(id, state);
        resetStream(ctx, id, error.code(), ctx.newPromise());
        ctx.flush();
    }

    private void streamClosed(Http2Stream stream) {
        Http2StreamState state = stream.getProperty(stateKey);
        if (state == null) {
            return;
        }
        responses.forget(stream.id(), state);
        if (!state.responseEnded) {
            abort(stream.id(), state);
        }
    }

    /** Tells the core the stream's client is gone (reset, GOAWAY, a refused body): its exchange ends alone. */
    void abort(int id, Http2StreamState state) {
        if (state.aborted) {
            return;
        }
        state.aborted = true;
        state.responseEnded = true;
        ctx.executor().execute(() -> ctx.fireChannelRead(new RequestAbort(id)));
    }

    @Override
    protected void onConnectionError(ChannelHandlerContext ctx, boolean outbound, Throwable cause,
            Http2Exception http2Ex) {
        if (http2Ex != null && !(cause instanceof java.io.IOException)) {
            // inbound: the client broke the protocol or a limit; outbound: our own guards (queued control frames)
            warn("connection closed with GOAWAY " + http2Ex.error() + ": " + http2Ex.getMessage());
        }
        super.onConnectionError(ctx, outbound, cause, http2Ex);
    }

    @Override
    protected void onStreamError(ChannelHandlerContext ctx, boolean outbound, Throwable cause,
            Http2Exception.StreamException http2Ex) {
        // A stream opened after our GOAWAY (a close, a stop) is refused as RFC 9113 6.8 says: the client's race
        // with the GOAWAY in flight, not its fault, and under load a line per stream
        boolean afterGoAway = http2Ex.error() == Http2Error.REFUSED_STREAM && connection().goAwaySent();
        if (!outbound && !afterGoAway) {
            warn((http2Ex instanceof Http2Exception.HeaderListSizeException ? "431 Request Header Fields Too Large: "
                    : "stream " + http2Ex.streamId() + " reset with " + http2Ex.error() + ": ") + http2Ex.getMessage());
        }
        super.onStreamError(ctx, outbound, cause, http2Ex);
    }

    /** Refuses a stream's request: answers {@code status} unless the app has, then resets the stream. */
    void refuse(int id, Http2StreamState state, int status, String text) {
        responses.refuse(id, state, status, text);
    }

    /** One WARN line naming the listener, the client and what was refused. */
    void warn(String detail) {
        LOG.warning("[" + listener + "] " + peer() + ": " + detail);
    }

    private String peer() {
        SocketAddress remote = ctx.channel().remoteAddress();
        String text = remote == null ? "" : remote.toString().replaceFirst("^/", "");
        return text.isEmpty() ? "unix-peer" : text;
    }

    /** The stream's state, or null once it is closed (or was never opened). */
    Http2StreamState state(int id) {
        Http2Stream stream = connection().stream(id);
        return stream == null ? null : stream.getProperty(stateKey);
    }

    ChannelHandlerContext context() {
        return ctx;
    }

    Http2Options options() {
        return options;
    }

    /** An empty DATA payload for END_STREAM alone. */
    static ByteBuf empty() {
        return Unpooled.EMPTY_BUFFER;
    }
}
