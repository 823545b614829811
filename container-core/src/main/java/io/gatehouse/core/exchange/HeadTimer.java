package io.gatehouse.core.exchange;

import io.gatehouse.spi.protocol.CodecEvent;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The first handler of a listener's pipeline: bounds the time to receive a request head (header-timeout, answered
 * 408) and the time a kept-alive connection may idle between requests (closed quietly). It sees raw bytes, so it
 * knows when a new head has started; the exchange handler tells it when a head is complete and when the
 * connection is idle again.
 */
public final class HeadTimer extends ChannelInboundHandlerAdapter {

    /** The user event fired down the pipeline when a limit passes. */
    public enum Expired { HEADER, IDLE }

    private final long headerNanos;
    private final long idleNanos;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> task;
    private Expired kind;
    private long deadline;
    private long wakeAt;
    private boolean awaitingFirstByte;
    private boolean inRequest;

    /** A timer with the given limits; a zero duration disables that limit. */
    public HeadTimer(Duration headerTimeout, Duration idleTimeout) {
        this.headerNanos = headerTimeout.toNanos();
        this.idleNanos = idleTimeout.toNanos();
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

    /** A complete head arrived: no limit applies until the connection is idle again. */
    void headReceived() {
        awaitingFirstByte = false;
        inRequest = true;
        disarm();
    }

    /** The connection has no request in flight: wait for the next one, at most the idle timeout. */
    void idle() {
        awaitingFirstByte = true;
        inRequest = false;
        arm(Expired.IDLE, idleNanos);
    }

    /**
     * Sets the deadline. The scheduled check is reused rather than cancelled and rescheduled for every request:
     * it wakes at the old deadline, sees the new one and sleeps again, so a busy connection costs no timer churn.
     * Only a deadline earlier than the pending wake-up needs a new schedule. Time is the executor's, so tests on an
     * EmbeddedChannel can advance it.
     */
    private void arm(Expired kind, long nanos) {
        if (nanos <= 0) {
            deadline = 0;
            return;
        }
        this.kind = kind;
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

    private void disarm() {
        deadline = 0;
    }

    private void cancel() {
        deadline = 0;
        if (task != null) {
            task.cancel(false);
            task = null;
        }
    }
}
