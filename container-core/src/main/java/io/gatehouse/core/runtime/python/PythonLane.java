package io.gatehouse.core.runtime.python;

import io.gatehouse.core.exchange.Exchange;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.util.ReferenceCountUtil;
import java.util.logging.Logger;

/**
 * One connection from a worker process, served by one of its threads: it carries one exchange at a time (a
 * {@link PythonCall}), plus PING/PONG while idle. A boot-failure report arrives on a connection of its own that
 * never serves ({@code serving} false).
 */
final class PythonLane extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = Logger.getLogger(PythonLane.class.getName());

    private final PythonWorker worker;
    private final Channel channel;
    private final boolean serving;
    private volatile PythonCall call;
    /** Guarded by the worker's {@link PythonLanes}: an exchange is assigned to this lane. */
    boolean busy;
    /** Guarded by the worker's {@link PythonLanes}: a PING went out and no PONG came back yet. */
    boolean pingPending;

    PythonLane(PythonWorker worker, Channel channel, boolean serving) {
        this.worker = worker;
        this.channel = channel;
        this.serving = serving;
    }

    PythonWorker worker() {
        return worker;
    }

    Channel channel() {
        return channel;
    }

    boolean serving() {
        return serving;
    }

    /** Sends {@code exchange} to the worker. */
    void start(Exchange exchange) {
        PythonCall c = new PythonCall(this, exchange);
        call = c;
        c.start();
    }

    /** The exchange is over on the worker's side: the lane takes another. */
    void ended(PythonCall c) {
        call = null;
        worker.callEnded(this, c.exchange());
    }

    void stop() {
        channel.writeAndFlush(WsgiFrames.empty(channel.alloc(), WsgiFrames.STOP), channel.voidPromise());
    }

    void ping() {
        channel.writeAndFlush(WsgiFrames.empty(channel.alloc(), WsgiFrames.PING), channel.voidPromise());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws WsgiProtocolException {
        WsgiFrame frame = (WsgiFrame) msg;
        try {
            int type = frame.type();
            PythonCall c = call;
            if (type == WsgiFrames.PONG) {
                worker.pong(this);
            } else if (type == WsgiFrames.BOOT_FAILED && !serving) {
                worker.bootFailed(WsgiFrames.text(frame.content()));
                ctx.close(); // the worker waits for this before it exits
            } else if (c != null) {
                c.onFrame(frame);
            } else {
                throw new WsgiProtocolException(WsgiFrames.name(type) + " outside a request");
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
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
        Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
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
