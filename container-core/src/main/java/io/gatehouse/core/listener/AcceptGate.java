package io.gatehouse.core.listener;

import io.gatehouse.core.exchange.ListenerContext;
import io.gatehouse.spi.log.LogThrottle;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The accepting side of a listener, on its server channel: holds the listener to max-connections and keeps a
 * failing accept (out of file descriptors) from spinning or flooding the log. At max-connections it stops accepting,
 * as nginx and Tomcat do: new connections wait in the kernel's listen queue ({@code backlog}), where the client's
 * connect has completed but nothing is read, and are taken in turn as open ones close; once the queue is full the
 * kernel drops new SYNs and clients retry. Nothing is accepted only to be closed, so a flood costs no CPU. A failed
 * accept pauses accepting for a second (Netty's own answer, which this replaces to keep its stack trace out of the
 * log). Both say so in one rate-limited line.
 */
@ChannelHandler.Sharable
final class AcceptGate extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = Logger.getLogger(AcceptGate.class.getName());
    /** How long accepting pauses after a failed accept. */
    static final long ERROR_PAUSE_MILLIS = 1000;

    private final Supplier<ListenerContext> listener;
    private final int backlog;
    private final AtomicInteger open = new AtomicInteger();
    private volatile boolean full;
    private boolean failing;
    /** Workers accepting this listener's connections themselves (the direct path); on the server's loop. */
    private int takers;
    private volatile Channel server;

    /**
     * A gate for a listener with a listen queue of {@code backlog}; its name, max-connections and log come from
     * {@code listener}, read for each connection, as a reload may change them.
     */
    AcceptGate(Supplier<ListenerContext> listener, int backlog) {
        this.listener = listener;
        this.backlog = backlog;
    }

    /** Connections open now. */
    int open() {
        return open.get();
    }

    @Override
    public void channelRegistered(ChannelHandlerContext ctx) {
        server = ctx.channel();
        ctx.fireChannelRegistered();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Channel child = (Channel) msg;
        int max = maxConnections();
        int n = open.incrementAndGet();
        if (n > max) {
            // NIO accepts a batch before it sees autoRead off: the few past the limit are closed at once
            open.decrementAndGet();
            child.unsafe().closeForcibly();
            stop(ctx.channel(), max);
            return;
        }
        child.closeFuture().addListener(f -> closed());
        if (n == max) {
            stop(ctx.channel(), max);
        }
        ctx.fireChannelRead(msg);
    }

    private void stop(Channel server, int max) {
        if (full) {
            return;
        }
        full = true;
        server.config().setAutoRead(false);
        log().log("[" + listener.get().name() + "] max-connections " + max + " reached: accepting paused; new connections "
                + "wait in the listen queue (backlog " + backlog + ") until one closes");
        if (open.get() < max) {
            resume(); // one closed meanwhile, and may have missed that accepting had stopped
        }
    }

    private void closed() {
        if (open.decrementAndGet() < maxConnections() && full) {
            Channel s = server;
            if (s != null) {
                s.eventLoop().execute(this::resume);
            }
        }
    }

    /** On the server's loop: accepts again if there is room and no accept error holds it back. */
    private void resume() {
        if (full && open.get() < maxConnections()) {
            full = false;
            acceptIfFree(server);
        }
    }

    /**
     * A worker accepts the listener's connections itself from now on ({@code +1}), or no longer ({@code -1}): the
     * master accepts only while none does, so that a connection never waits on the master's loop while a worker
     * is free, and the master still answers when the workers are all gone (503 while the app crashes).
     */
    void takers(int change) {
        Channel s = server;
        if (s == null) {
            return;
        }
        s.eventLoop().execute(() -> {
            takers += change;
            if (takers > 0) {
                s.config().setAutoRead(false);
            } else {
                acceptIfFree(s);
            }
        });
    }

    /** Accepts again unless the listener is full, an accept error holds it back, or workers accept instead. */
    private void acceptIfFree(Channel s) {
        if (!full && !failing && takers == 0 && s.isOpen()) {
            s.config().setAutoRead(true);
        }
    }

    /**
     * An accept failed: the server channel's own error, not a connection's. Out of file descriptors (EMFILE) would
     * fail again at once, so accepting pauses for a second. Not passed on: Netty would log a stack trace each time.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof IOException)) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        log().log("[" + listener.get().name() + "] accepting a connection failed: " + cause.getMessage() + " (" + open.get()
                + " open); accepting pauses for " + ERROR_PAUSE_MILLIS + " ms");
        if (failing) {
            return;
        }
        failing = true;
        Channel s = ctx.channel();
        s.config().setAutoRead(false);
        s.eventLoop().schedule(() -> {
            failing = false;
            acceptIfFree(s);
        }, ERROR_PAUSE_MILLIS, TimeUnit.MILLISECONDS);
    }

    private int maxConnections() {
        return listener.get().limits().maxConnections();
    }

    /** One line when the listener fills up; how often it did again comes in the interval's summary. */
    private LogThrottle log() {
        return listener.get().notices().throttled(LOG, 1);
    }
}
