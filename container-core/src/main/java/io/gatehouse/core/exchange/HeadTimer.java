package io.gatehouse.core.exchange;

import io.gatehouse.spi.protocol.CodecEvent;
import io.gatehouse.spi.protocol.ConnectionLimits;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The handler before a listener's codec that bounds how long a connection waits for its client's bytes: a request
 * head (header-timeout, answered 408), the next request on a kept-alive connection (keepalive-timeout, closed
 * quietly), the next bytes of a request body the listener is reading (body-timeout, answered 408 or cut), and the
 * next bytes of a body nobody will read while the connection lingers before closing (lingering-timeout). It sees
 * raw bytes, so it knows when a new head has started and every read counts as progress; the exchange handler
 * tells it what the connection is waiting for.
 */
public final class HeadTimer extends ChannelInboundHandlerAdapter {

    /** The user event fired down the pipeline when a limit passes. */
    public enum Expired { HEADER, IDLE, BODY, LINGER }

    private final long headerNanos;
    private final long idleNanos;
    private final long bodyNanos;
    private final long lingerNanos;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> task;
    private Expired kind;
    private long deadline;
    private long wakeAt;
    private boolean awaitingFirstByte;
    private boolean inRequest;

    /** A timer with the given limits; a zero duration disables that limit. */
    public HeadTimer(ConnectionLimits limits) {
        this.headerNanos = limits.headerTimeout().toNanos();
        this.idleNanos = limits.keepaliveTimeout().toNanos();
        this.bodyNanos = limits.bodyTimeout().toNanos();
        this.lingerNanos = limits.lingeringTimeout().toNanos();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        arm(Expired.HEADER, headerNanos);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (awaitingFirstByte) {
            awaitingFirstByte = false;
            arm(Expired.HEADER, headerNanos);
        } else if (deadline != 0 && (kind == Expired.BODY || kind == Expired.LINGER)) {
            arm(kind, kind == Expired.BODY ? bodyNanos : lingerNanos); // bytes came: the wait starts again
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == CodecEvent.CONTROL_ANSWERED) {
            if (!inRequest) {
                idle();
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }

    /** A complete head arrived: no limit applies until the connection is idle again or reads a body. */
    void headReceived() {
        awaitingFirstByte = false;
        inRequest = true;
        deadline = 0;
    }

    /** The connection has no request in flight: wait for the next one, at most the keepalive timeout. */
    void idle() {
        awaitingFirstByte = true;
        inRequest = false;
        arm(Expired.IDLE, idleNanos);
    }

    /**
     * Whether the listener is reading a request body now (one is incomplete and reading is not paused): then each
     * wait for its next bytes is bounded by the body timeout.
     */
    void readingBody(boolean reading) {
        if (reading && (deadline == 0 || kind != Expired.BODY)) {
            arm(Expired.BODY, bodyNanos);
        } else if (!reading && kind == Expired.BODY) {
            deadline = 0;
        }
    }

    /** The connection closes once the unread rest of a body has come: each wait for more is bounded. */
    void lingering() {
        awaitingFirstByte = false;
        arm(Expired.LINGER, lingerNanos);
    }

    /**
     * Sets the deadline. The scheduled check is reused rather than cancelled and rescheduled for every request (or
     * every read of a body): it wakes at the old deadline, sees the new one and sleeps again, so a busy connection
     * costs no timer churn. Only a deadline earlier than the pending wake-up needs a new schedule. Time is the
     * executor's, so tests on an EmbeddedChannel can advance it.
     */
    private void arm(Expired kind, long nanos) {
        this.kind = kind;
        if (nanos <= 0) {
            deadline = 0;
            return;
        }
        deadline = ctx.executor().ticker().nanoTime() + nanos;
        if (task != null && deadline - wakeAt < 0) {
            task.cancel(false);
            task = null;
        }
        if (task == null) {
            schedule(nanos);
        }
    }

    private void schedule(long nanos) {
        wakeAt = ctx.executor().ticker().nanoTime() + nanos;
        task = ctx.executor().schedule(this::check, nanos, TimeUnit.NANOSECONDS);
    }

    private void check() {
        task = null;
        if (deadline == 0 || !ctx.channel().isActive()) {
            return;
        }
        long left = deadline - ctx.executor().ticker().nanoTime();
        if (left > 0) {
            schedule(left);
            return;
        }
        deadline = 0;
        ctx.fireUserEventTriggered(kind);
    }

    private void cancel() {
        deadline = 0;
        if (task != null) {
            task.cancel(false);
            task = null;
        }
    }
}
