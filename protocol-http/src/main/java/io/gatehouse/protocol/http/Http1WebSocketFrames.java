package io.gatehouse.protocol.http;

import io.gatehouse.spi.exchange.LastResponseChunk;
import io.gatehouse.spi.exchange.WebSocket;
import io.gatehouse.spi.protocol.ConnectionPeer;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The socket's state on the connection's loop, as the handler behind the frame codec: messages in (pieces queued
 * while the runtime is not reading, and reading from the client stopped meanwhile), pings answered, the message
 * limit, the idle timeout and its pings, and the close handshake (RFC 6455 7): whoever closes first, the exchange
 * ends once both close frames passed or {@code close-timeout} ran out. Closing the connection any other way (an
 * app's failure, its worker's death) sends 1011 first, so the client sees a close frame, not a reset.
 */
final class Http1WebSocketFrames extends ChannelDuplexHandler {
    private static final Logger LOG = Logger.getLogger(Http1WebSocketFrames.class.getName());
    /** RFC 6455 7.4.1: the code an app sees when the client's close frame had none. */
    private static final int NO_STATUS = 1005;

    private final Http1WebSocket socket;
    private final Http1WebSocketOptions options;
    private final long maxMessage;
    private final Http1WebSocketInbox inbox = new Http1WebSocketInbox();
    private final List<Runnable> writableCallbacks = new ArrayList<>(1);
    private ChannelHandlerContext ctx;
    private boolean messageText;
    private long messageBytes;
    /** Our close frame is sent (or the connection is gone): nothing more goes out. */
    private volatile boolean closing;
    private boolean closeReceived;
    /** The close handshake is over (both frames, a failure, or the timeout): the connection may close. */
    private boolean finished;
    private ChannelPromise heldEnd;
    private ChannelPromise heldClose;
    private ScheduledFuture<?> closeTimer;
    private ScheduledFuture<?> tick;
    private long lastRead;

    Http1WebSocketFrames(Http1WebSocket socket, Http1WebSocketOptions options) {
        this.socket = socket;
        this.options = options;
        this.maxMessage = options.maxMessageSize().bytes();
    }

    boolean closing() {
        return closing;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        inbox.attach(ctx.channel());
        lastRead = ctx.executor().ticker().nanoTime();
        long idle = options.idleTimeout().toNanos();
        long ping = options.pingInterval().toNanos();
        long period = ping > 0 && (idle == 0 || ping < idle) ? ping : idle;
        if (period > 0) {
            long every = Math.max(TimeUnit.MILLISECONDS.toNanos(10), Math.min(period, idle > 0 ? idle / 2 : period));
            tick = ctx.executor().scheduleAtFixedRate(this::onTick, every, every, TimeUnit.NANOSECONDS);
        }
    }

    private void onTick() {
        long quiet = ctx.executor().ticker().nanoTime() - lastRead;
        long idle = options.idleTimeout().toNanos();
        long ping = options.pingInterval().toNanos();
        if (idle > 0 && quiet >= idle) {
            fail(WebSocket.GOING_AWAY, "idle timeout", "no frame within idle-timeout " + options.idleTimeout().toMillis()
                    + " ms");
        } else if (ping > 0 && quiet >= ping && !closing) {
            ctx.writeAndFlush(new PingWebSocketFrame(), ctx.voidPromise());
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        lastRead = ctx.executor().ticker().nanoTime();
        if (!(msg instanceof WebSocketFrame frame) || closeReceived || (closing && finished)) {
            ReferenceCountUtil.release(msg);
        } else if (frame instanceof CloseWebSocketFrame close) {
            onClientClose(close);
        } else if (frame instanceof PingWebSocketFrame) {
            // RFC 6455 5.5.2: a pong with the ping's payload
            if (closing) {
                frame.release();
            } else {
                ctx.writeAndFlush(new PongWebSocketFrame(frame.content()), ctx.voidPromise());
            }
        } else if (frame instanceof PongWebSocketFrame || closing) {
            frame.release(); // a pong only proves the client alive; data after our close is dropped (7.1.4)
        } else {
            onData(frame);
        }
    }

    private void onData(WebSocketFrame frame) {
        if (!(frame instanceof ContinuationWebSocketFrame)) {
            messageText = frame instanceof TextWebSocketFrame;
            messageBytes = 0;
        }
        messageBytes += frame.content().readableBytes();
        if (messageBytes > maxMessage) {
            frame.release();
            fail(1009, "message too big", "a message over max-message-size " + maxMessage + " bytes");
            return;
        }
        inbox.message(frame.content(), messageText, frame.isFinalFragment());
    }

    private void onClientClose(CloseWebSocketFrame close) {
        int code = close.statusCode() < 0 ? NO_STATUS : close.statusCode();
        if (code >= 5000) {
            close.release(); // RFC 6455 7.4.2 defines codes up to 4999 only (the codec lets these through)
            fail(1002, "", "close code " + code + " is not defined (RFC 6455 7.4.2)");
            return;
        }
        String reason = close.statusCode() < 0 ? "" : close.reasonText();
        close.release();
        closeReceived = true;
        if (!closing) {
            // RFC 6455 5.5.1: the answer echoes the code received
            closing = true;
            ctx.writeAndFlush(code == NO_STATUS ? new CloseWebSocketFrame() : new CloseWebSocketFrame(code, ""));
        }
        inbox.close(code, reason);
        handshakeOver();
    }

    /** Both close frames have passed (or waiting for the client's ran out): the exchange ends. */
    private void handshakeOver() {
        finished = true;
        if (closeTimer != null) {
            closeTimer.cancel(false);
        }
        if (heldClose != null) {
            ctx.close(heldClose);
        } else if (heldEnd != null) {
            heldEnd.setSuccess();
        } else {
            socket.response().end();
        }
    }

    /**
     * Fails the connection (RFC 6455 7.1.7): a close frame with {@code code}, the app told of it, and the connection
     * closed once the frame is out, without waiting for the client's. One log line names the peer and the limit.
     */
    private void fail(int code, String reason, String detail) {
        if (closing) {
            return;
        }
        LOG.warning(ConnectionPeer.describe(ctx.channel()) + ": WebSocket closed with " + code + ": " + detail);
        closing = true;
        ctx.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(f -> handshakeOver());
        inbox.close(code, reason);
    }

    /** The runtime closes: our close frame now, the exchange's end once the client answers (or the timeout). */
    void close(int code, String reason) {
        sendClose(code, reason);
        socket.response().end();
    }

    private void sendClose(int code, String reason) {
        if (closing || ctx == null) {
            return;
        }
        closing = true;
        String text = reason == null ? "" : reason;
        // a control frame holds 125 bytes (5.5): 2 for the code, the reason cut to fit
        while (text.getBytes(StandardCharsets.UTF_8).length > 123) {
            text = text.substring(0, text.length() - 1);
        }
        ctx.writeAndFlush(new CloseWebSocketFrame(code, text), ctx.voidPromise());
        closeTimer = ctx.executor().schedule(this::handshakeOver, options.closeTimeout().toNanos(),
                TimeUnit.NANOSECONDS);
    }

    void send(WebSocketFrame frame) {
        if (closing || ctx == null) {
            frame.release();
        } else {
            ctx.writeAndFlush(frame, ctx.voidPromise());
        }
    }

    /** The exchange's end: after the close handshake, which it starts (1000) if nobody closed yet. */
    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof LastResponseChunk) {
            if (finished) {
                promise.setSuccess();
            } else {
                heldEnd = promise;
                sendClose(WebSocket.NORMAL, "");
            }
        } else {
            ctx.write(msg, promise);
        }
    }

    /** Any other close of a live socket says 1011 first and waits for the client's close (bounded). */
    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        if (finished || !ctx.channel().isActive()) {
            ctx.close(promise);
        } else if (heldClose != null) {
            heldClose.addListener(f -> promise.trySuccess());
        } else {
            heldClose = promise;
            sendClose(WebSocket.INTERNAL_ERROR, "");
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable root = cause.getCause() instanceof CorruptedWebSocketFrameException ? cause.getCause() : cause;
        if (root instanceof CorruptedWebSocketFrameException bad) {
            fail(bad.closeStatus().code(), bad.closeStatus().reasonText(), bad.getMessage());
        } else {
            ctx.fireExceptionCaught(cause);
        }
    }

    /** Pieces (or the close) for the runtime, one per {@link WebSocket#read}. */
    void read(WebSocket.Receiver receiver) {
        inbox.read(receiver);
    }

    void whenWritable(Runnable callback) {
        if (socket.writable() || !ctx.channel().isActive()) {
            callback.run();
        } else {
            writableCallbacks.add(callback);
        }
    }

    void writabilityChanged() {
        if (!writableCallbacks.isEmpty() && (socket.writable() || !ctx.channel().isActive())) {
            Http1WebSocket.runAll(writableCallbacks);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        writabilityChanged();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closing = true;
        finished = true;
        if (tick != null) {
            tick.cancel(false);
        }
        if (closeTimer != null) {
            closeTimer.cancel(false);
        }
        inbox.dropMessages();
        inbox.close(WebSocket.ABNORMAL, "");
        if (heldEnd != null && !heldEnd.isDone()) {
            heldEnd.setSuccess();
        }
        Http1WebSocket.runAll(writableCallbacks);
        ctx.fireChannelInactive();
    }
}
