package io.gatehouse.runtime.python;

import io.gatehouse.spi.exchange.Exchange;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * One connection from a worker process, served by one of its threads or by its event loop (ASGI): it runs one
 * exchange at a time (a {@link PythonCall}), plus PING/PONG while idle (and, on a loop's lane, while busy). With
 * {@code prefetch}, an exchange handed over while one runs is held behind it; a held one without a body is sent
 * ahead at once, so the worker starts it without waiting for the master (any other stays unsent, as do those behind
 * it, since frames must follow the order of the requests). It starts when it becomes the one the lane runs. As
 * nothing of a body was read for it, an exchange held here that its worker never started can be run by another.
 * Runs on the lane's loop. A boot-failure report arrives on a connection of its own that never serves.
 */
final class PythonLane extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = Logger.getLogger(PythonLane.class.getName());

    /** What a connection is, by the role its HELLO gave. */
    enum Kind {
        /** Served by a thread of a WSGI worker: it reads frames between requests and at its cancel checks. */
        THREAD,
        /** Served by the event loop of an ASGI worker: it reads frames at any time, and takes HARAKIRI. */
        LOOP,
        /** A worker's report that it could not load the app: it never serves. */
        BOOT_REPORT;

        /** The kind a worker's HELLO role names, or null for another role. */
        static Kind ofRole(int role) {
            return switch (role) {
                case WsgiFrames.ROLE_LANE -> THREAD;
                case WsgiFrames.ROLE_LOOP_LANE -> LOOP;
                case WsgiFrames.ROLE_BOOT_REPORT -> BOOT_REPORT;
                default -> null;
            };
        }
    }

    private final PythonWorker worker;
    private final Channel channel;
    private final Kind kind;
    /** The exchange the lane runs, or null while idle. */
    private PythonCall call;
    /** The exchanges held behind it, in order (sent ahead or not); one handed to an idle lane passes through. */
    private final ArrayDeque<PythonCall> held = new ArrayDeque<>(2);
    /** REQUEST frames sent: the ordinal of the last, which CANCEL names. */
    private int requests;
    private boolean advancing;
    /** A loop lane told to cancel a task by harakiri, whose loop has not answered the PING sent with it. */
    private boolean loopSilent;
    /** Guarded by the worker's {@link PythonLanes}: the exchanges assigned to this lane. */
    int load;
    /** Guarded by the worker's {@link PythonLanes}: a PING went out and no PONG came back yet. */
    boolean pingPending;

    PythonLane(PythonWorker worker, Channel channel, Kind kind) {
        this.worker = worker;
        this.channel = channel;
        this.kind = kind;
    }

    PythonWorker worker() {
        return worker;
    }

    Channel channel() {
        return channel;
    }

    Kind kind() {
        return kind;
    }

    /** True unless it is a boot-failure report. */
    boolean serving() {
        return kind != Kind.BOOT_REPORT;
    }

    /** Runs {@code exchange} on this lane: now if it is idle, else after those it holds. */
    void handle(Exchange exchange) {
        PythonCall c = new PythonCall(this, exchange);
        if (channel.eventLoop().inEventLoop()) {
            take(c);
        } else {
            channel.eventLoop().execute(() -> take(c));
        }
    }

    private void take(PythonCall c) {
        if (call != null || advancing) {
            worker.held(c.exchange());
        }
        held.add(c);
        advance(new ArrayList<>(1));
    }

    /** The exchange is over on the worker's side: the next one held starts (sent now if it was not). */
    void ended(PythonCall done) {
        call = null;
        List<Exchange> over = new ArrayList<>(2);
        over.add(done.exchange());
        advance(over);
    }

    /**
     * Starts the first held exchange if none runs, then sends ahead those that may go. Exchanges answered without
     * the worker (adding to {@code over}) and {@code over} end last, as ending one can hand this lane another (which
     * joins those held, seen by the loop here, when it comes while this runs).
     */
    private void advance(List<Exchange> over) {
        if (!advancing) {
            advancing = true;
            try {
                while (step(over)) {
                    // until nothing more can start or go ahead
                }
            } finally {
                advancing = false;
            }
        }
        for (Exchange e : over) {
            worker.callEnded(this, e);
        }
    }

    private boolean step(List<Exchange> over) {
        if (call == null) {
            PythonCall next = held.poll();
            if (next == null) {
                return false;
            }
            worker.starts(next.exchange());
            if (next.sent() || send(next)) {
                call = next;
            } else {
                over.add(next.exchange());
            }
            return true;
        }
        PythonCall unsent = null;
        for (PythonCall h : held) {
            if (!h.sent()) {
                unsent = h;
                break;
            }
        }
        // those before it went ahead without a body, so only the running one's body can be in the way
        if (unsent == null || !call.settled() || unsent.hasBody()) {
            return false;
        }
        if (!send(unsent)) {
            held.remove(unsent);
            over.add(unsent.exchange());
        }
        return true;
    }

    /** Writes the REQUEST of {@code c}; false if it was answered without the worker instead. */
    private boolean send(PythonCall c) {
        if (!c.send(requests + 1)) {
            return false;
        }
        requests++;
        return true;
    }

    void stop() {
        channel.writeAndFlush(WsgiFrames.empty(channel.alloc(), WsgiFrameType.STOP), channel.voidPromise());
    }

    /** The worker retires past reload-mercy: a WebSocket this lane runs gets its 1012 before the worker dies. */
    void restart() {
        channel.eventLoop().execute(() -> {
            if (call != null) {
                call.restart();
            }
        });
    }

    void ping() {
        channel.writeAndFlush(WsgiFrames.empty(channel.alloc(), WsgiFrameType.PING), channel.voidPromise());
    }

    /**
     * ASGI harakiri for {@code overdue}, if this lane runs it: its task is cancelled, and a PING goes with the
     * HARAKIRI. If the exchange is still running {@code graceMillis} later and the PING is unanswered, the worker's
     * loop is blocked (a synchronous call in a coroutine) and the worker is killed.
     */
    void harakiri(Exchange overdue, long graceMillis) {
        channel.eventLoop().execute(() -> {
            PythonCall c = call;
            if (c == null || c.exchange() != overdue || !c.harakiri()) {
                return;
            }
            loopSilent = true;
            ping();
            channel.eventLoop().schedule(() -> checkCancelled(c, graceMillis), graceMillis, TimeUnit.MILLISECONDS);
        });
    }

    private void checkCancelled(PythonCall cancelled, long graceMillis) {
        if (call != cancelled) {
            return;
        }
        if (loopSilent) {
            worker.killAsWedged("did not answer within harakiri-grace " + graceMillis + " ms after harakiri "
                    + "cancelled a task: its event loop is blocked (a synchronous call in a coroutine?)");
        } else {
            LOG.warning(worker.describe() + ": a task cancelled by harakiri is still running " + graceMillis
                    + " ms later (it ignores cancellation); it keeps its place until it returns");
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws WsgiProtocolException {
        WsgiFrame frame = (WsgiFrame) msg;
        try {
            switch (frame.type()) {
                case PONG -> {
                    loopSilent = false;
                    worker.pong(this);
                }
                case BOOT_FAILED -> reportBootFailure(ctx, frame);
                case REPORT -> worker.direct().report(frame.content());
                default -> {
                    if (call == null) {
                        throw new WsgiProtocolException(frame.type() + " outside a request");
                    }
                    call.onFrame(frame);
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void reportBootFailure(ChannelHandlerContext ctx, WsgiFrame frame) throws WsgiProtocolException {
        if (serving()) {
            throw new WsgiProtocolException("BOOT_FAILED on a serving lane");
        }
        worker.bootFailed(WsgiFrames.text(frame.content()));
        ctx.close(); // the worker waits for this before it exits
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        PythonCall c = call;
        if (c != null) {
            c.flushPending();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        worker.connectionClosed(this);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable root = WsgiProtocolException.unwrap(cause);
        ctx.close();
        if (root instanceof WsgiProtocolException) {
            LOG.warning(worker.describe() + " broke the worker protocol: " + root.getMessage() + "; killing it");
            worker.kill();
        } else {
            // a worker that dies resets its connections; its exit is reported when the fork server reaps it
            LOG.fine(() -> worker.describe() + ": connection failed: " + root);
        }
    }
}
