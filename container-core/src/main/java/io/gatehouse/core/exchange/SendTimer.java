package io.gatehouse.core.exchange;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The first handler of a listener's pipeline: bounds how long bytes written to a connection may wait for the client
 * to take any of them (send-timeout, nginx's {@code send_timeout}). It watches every flush: once bytes are left
 * waiting in the channel's outbound buffer (the socket would take no more), it checks now and then that they
 * move, and if none has gone for the whole timeout it fires {@link #EXPIRED} down the pipeline; the exchange
 * handler then cuts the connection, which fails the worker's writes and frees it. A client that reads slowly but
 * reads is never cut: only a wait without any progress counts.
 */
public final class SendTimer extends ChannelDuplexHandler {

    /** The user event fired when a connection's client took nothing for the whole send timeout. */
    public static final Object EXPIRED = new Object() {
        @Override
        public String toString() {
            return "SendTimer.EXPIRED";
        }
    };

    /** Checks per timeout: a stall is seen within a quarter of the timeout of its end. */
    private static final int CHECKS = 4;

    private final long timeoutNanos;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> task;
    /** When the pending bytes last moved (or were first left waiting). */
    private long lastProgress;
    private long lastPending;
    private long lastFlushed;
    private Object lastMessage;

    /** A timer of {@code timeout}, which must be positive. */
    public SendTimer(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        ctx.flush();
        if (task == null && pending() > 0) {
            snapshot();
            lastProgress = ctx.executor().ticker().nanoTime();
            task = ctx.executor().schedule(this::check, timeoutNanos / CHECKS, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }

    private void check() {
        task = null;
        if (!ctx.channel().isActive() || pending() == 0) {
            return;
        }
        long now = ctx.executor().ticker().nanoTime();
        if (moved()) {
            snapshot();
            lastProgress = now;
        } else if (now - lastProgress >= timeoutNanos) {
            ctx.fireUserEventTriggered(EXPIRED);
            return;
        }
        task = ctx.executor().schedule(this::check, timeoutNanos / CHECKS, TimeUnit.NANOSECONDS);
    }

    /** Bytes written and flushed but not yet taken by the socket. */
    private long pending() {
        ChannelOutboundBuffer out = ctx.channel().unsafe().outboundBuffer();
        return out == null ? 0 : out.totalPendingWriteBytes();
    }

    /** True when the client took some of the pending bytes since the last snapshot (more written does not count). */
    private boolean moved() {
        ChannelOutboundBuffer out = ctx.channel().unsafe().outboundBuffer();
        return out == null || out.current() != lastMessage || out.currentProgress() != lastFlushed
                || out.totalPendingWriteBytes() < lastPending;
    }

    private void snapshot() {
        ChannelOutboundBuffer out = ctx.channel().unsafe().outboundBuffer();
        if (out != null) {
            lastMessage = out.current();
            lastFlushed = out.currentProgress();
            lastPending = out.totalPendingWriteBytes();
        }
    }

    private void cancel() {
        if (task != null) {
            task.cancel(false);
            task = null;
        }
        lastMessage = null;
    }
}
