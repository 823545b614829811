package io.gatehouse.core.exchange;

import io.gatehouse.app.Environ;
import io.gatehouse.app.EnvironKeys;
import io.gatehouse.app.Headers;
import io.gatehouse.spi.exchange.BodyChunk;
import io.gatehouse.spi.exchange.EnvironHead;
import io.gatehouse.spi.exchange.Fault;
import io.gatehouse.spi.exchange.InterimResponse;
import io.gatehouse.spi.exchange.ProtocolException;
import io.gatehouse.spi.exchange.RequestAbort;
import io.gatehouse.spi.exchange.StreamWritability;
import io.gatehouse.spi.protocol.CodecEvent;
import io.gatehouse.spi.protocol.ConnectionPeer;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The last handler of every listener's pipeline: turns decoded heads and body chunks into exchanges, routes them,
 * keeps pipelined requests in order (or runs multiplexed ones side by side), applies body backpressure, tells the
 * head timer what the connection waits for, answers decoder faults and stalled clients in the protocol's own form
 * (through its encoder) with one rate-limited log line, and closes connections, lingering over an unread body.
 */
public final class ExchangeHandler extends ChannelInboundHandlerAdapter
        implements ChannelExchange.Observer, BufferedRequestBody.FlowControl {
    private static final Logger LOG = Logger.getLogger(ExchangeHandler.class.getName());

    private final ListenerContext listener;
    private final HeadTimer timer;
    /** Requests queued behind the one being answered before the connection stops reading more. */
    static final int MAX_PIPELINED = 16;

    private final ArrayDeque<ChannelExchange> pipelined = new ArrayDeque<>(2);
    private boolean pipelinePaused;
    /** Exchanges by stream id on a multiplexed connection (FastCGI from the start, HTTP/2 once announced). */
    private IntObjectMap<ChannelExchange> streams;
    /** True once the codec announced streams with flow control of their own ({@link CodecEvent#MULTIPLEXED_STREAMS}). */
    private boolean streamFlow;
    private ChannelHandlerContext ctx;
    private ChannelExchange current;
    private ChannelExchange receiving;
    private int paused;
    private boolean closing;
    /** The codec ends the connection after the response in progress (CodecEvent.CLOSE_AFTER_RESPONSE). */
    private boolean endsConnection;
    private final LingeringClose lingering = new LingeringClose();

    /** A handler for one connection of {@code listener}; {@code timer} is the same connection's head timer. */
    public ExchangeHandler(ListenerContext listener, HeadTimer timer) {
        this.listener = listener;
        this.timer = timer;
        this.streams = listener.multiplexed() ? new IntObjectHashMap<>(4) : null;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof EnvironHead && lingering.active()) {
            ReferenceCountUtil.release(msg); // the connection is closing: what follows the unread body is dropped
        } else if (msg instanceof EnvironHead head) {
            onHead(head);
        } else if (msg instanceof BodyChunk chunk) {
            onBody(chunk);
        } else if (msg instanceof RequestAbort abort) {
            onAbort(abort);
        } else if (msg instanceof StreamWritability w) {
            ChannelExchange exchange = streams != null ? streams.get(w.streamId()) : null;
            if (exchange != null) {
                exchange.response().streamWritable(w.writable());
            }
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onHead(EnvironHead head) {
        timer.headReceived();
        if (head.isFailed()) {
            logFault(head.failure(), head.environ().get(EnvironKeys.REMOTE_ADDR));
            // a failed head is answered with close itself; pipelined requests before it keep their answers
            // (an HTTP/2 stream fails alone: the connection goes on)
            closing |= streams != null && !streamFlow;
        } else {
            if (listener.forwarded().enabled()) {
                listener.forwarded().apply(head.environ());
            }
            if (!head.varsReport().isEmpty()) {
                listener.notices().report(head.varsReport(), listener.name(), listener.protocol(), peer());
            }
        }
        head.environ().append(EnvironKeys.GATEHOUSE_LISTENER, listener.name());
        head.environ().append(EnvironKeys.GATEHOUSE_PROTOCOL, listener.protocol());
        ChannelExchange exchange = streamFlow
                ? new ChannelExchange(head, ctx.channel(), this, new StreamWindow(ctx, head.streamId()),
                        Integer.MAX_VALUE, true)
                : new ChannelExchange(head, ctx.channel(), this, this, listener.bodyBuffer(), streams != null);
        if (streams != null) {
            streams.put(head.streamId(), exchange);
            start(exchange);
            updateBodyTimer();
            return;
        }
        receiving = exchange.body().complete() ? null : exchange;
        if (current == null) {
            current = exchange;
            start(exchange);
        } else {
            pipelined.add(exchange);
            if (pipelined.size() == MAX_PIPELINED && !pipelinePaused) {
                // a client that pipelines without reading its answers must not queue requests without bound
                pipelinePaused = true;
                pause();
            }
        }
        updateBodyTimer();
    }

    private void onBody(BodyChunk chunk) {
        ChannelExchange target = streams != null ? streams.get(chunk.streamId()) : receiving;
        if (target == null) {
            chunk.release();
            return;
        }
        boolean lastOfStream = chunk.isLast();
        boolean last = lastOfStream && streams == null;
        if (last) {
            receiving = null;
        }
        target.body().offer(chunk);
        if (last && lingering.active()) {
            ctx.channel().close();
        } else if (lastOfStream) {
            updateBodyTimer();
        }
    }

    /** A multiplexed stream given up by the client: its exchange ends alone, as if the client had left. */
    private void onAbort(RequestAbort abort) {
        ChannelExchange exchange = streams != null ? streams.get(abort.streamId()) : null;
        if (exchange != null) {
            exchange.clientClosed();
        }
    }

    private void start(ChannelExchange exchange) {
        if (exchange.head().isFailed()) {
            exchange.response().error(exchange.head().failure().fault().status(), closeHeader());
            return;
        }
        if (exchange.head().expectContinue()) {
            int id = exchange.head().streamId();
            ctx.writeAndFlush(id == 0 ? InterimResponse.CONTINUE : new InterimResponse(100, id), ctx.voidPromise());
        }
        try {
            listener.routing().get().route(exchange);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "[" + listener.name() + "] routing failed for " + exchange.peer(), e);
            exchange.response().error(500, null);
        }
    }

    @Override
    public void exchangeComplete(ChannelExchange exchange, boolean ok) {
        listener.log().finished(exchange, listener.name(), ok);
        // also when the body is complete: chunks the app never read are still buffered and must be released
        exchange.body().discard();
        // one HTTP/2 stream's end never closes the connection; closing (drain, idle) waits for the last stream
        if (!streamFlow && (exchange.response().closesConnection() || endsConnection || (!ok && streams == null))) {
            if (ok && streams == null && receiving == exchange) {
                closing = true;
                lingering.start(ctx.channel(), listener.limits().lingeringTime(), timer);
            } else {
                ctx.channel().close();
            }
            return;
        }
        if (streams != null) {
            streams.remove(exchange.head().streamId());
            if (streams.isEmpty()) {
                becomeIdle();
            }
            return;
        }
        current = pipelined.poll();
        if (pipelinePaused && pipelined.size() < MAX_PIPELINED) {
            pipelinePaused = false;
            resume();
        }
        if (current != null) {
            start(current);
            updateBodyTimer();
        } else {
            becomeIdle();
        }
    }

    /**
     * Tells the head timer whether the listener is reading a request body now: one is incomplete, its client is
     * expected to send (not held back by Expect: 100-continue until its turn), and reading is not paused, as a
     * client held back by backpressure is not to blame for its silence.
     */
    private void updateBodyTimer() {
        if (lingering.active()) {
            return;
        }
        boolean awaiting = streams != null ? StalledStreams.receiving(streams.values())
                : receiving != null && (receiving == current || !receiving.head().expectContinue());
        timer.readingBody(awaiting && paused == 0);
    }

    private void becomeIdle() {
        if (closing || listener.draining().getAsBoolean()) {
            ctx.channel().close();
        } else {
            timer.idle();
        }
    }

    @Override
    public boolean closing() {
        return closing || listener.draining().getAsBoolean();
    }

    /** Answers a fault found outside any decoded head (the header timeout) if the connection is free, else closes. */
    private void answerTimeout(ProtocolException failure) {
        logFault(failure, null);
        closing = true;
        boolean busy = current != null || (streams != null && !streams.isEmpty());
        if (busy || !ctx.channel().isActive()) {
            ctx.channel().close();
            return;
        }
        EnvironHead head = EnvironHead.failed(new Environ(), 0, failure);
        current = new ChannelExchange(head, ctx.channel(), this, this, 0, streams != null);
        current.response().error(failure.fault().status(), closeHeader());
    }

    /**
     * A decoder fault inside a body being received (a chunked body over its limit, bad chunk framing): the request
     * gets the fault's status if it is the one being answered and its app has not started the response; else the
     * connection is cut. Either way the app's reads of the body fail, and the connection closes (lingering, as the
     * client may still be sending).
     */
    private void answerBodyFault(ProtocolException failure, boolean stalled) {
        ChannelExchange target = receiving;
        closing = true;
        if (stalled) {
            receiving = null; // a client that stopped sending gets no lingering: the connection closes after the answer
        }
        if (target == null || target != current || target.response().committed()) {
            ctx.close();
            return;
        }
        // answer first: the app, woken by the failed read, then finds the response done and adds nothing
        target.response().error(failure.fault().status(), closeHeader());
        target.body().fail(new IOException("request body refused: " + failure.getMessage()));
    }

    private static Headers closeHeader() {
        return new Headers().add("Connection", "close");
    }

    private void logFault(ProtocolException failure, String client) {
        listener.notices().fault(listener.name(), peer(), client, failure);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (root instanceof ProtocolException failure) {
            logFault(failure, null);
            answerBodyFault(failure, false);
        } else if (root instanceof IOException) {
            LOG.fine(() -> "[" + listener.name() + "] " + peer() + ": " + root);
            ctx.close();
        } else {
            LOG.log(Level.WARNING, "[" + listener.name() + "] " + peer() + ": closing after an unexpected error", root);
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        lingering.cancel();
        List<ChannelExchange> open = new ArrayList<>(pipelined);
        if (current != null) {
            open.add(current);
        }
        if (streams != null) {
            open.addAll(streams.values());
        }
        pipelined.clear();
        current = null;
        receiving = null;
        open.forEach(ChannelExchange::clientClosed);
        ctx.fireChannelInactive();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (current != null) {
            current.response().writabilityChanged();
        }
        if (streams != null) {
            for (ChannelExchange e : streams.values()) {
                e.response().writabilityChanged();
            }
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == HeadTimer.Expired.HEADER) {
            answerTimeout(new ProtocolException(Fault.REQUEST_TIMEOUT, "request head not complete within "
                    + "header-timeout " + listener.limits().headerTimeout().toMillis() + " ms"));
        } else if (evt == HeadTimer.Expired.BODY) {
            answerStalledBody();
        } else if (evt == SendTimer.EXPIRED) {
            listener.notices().cut(listener.name(), peer(), "the client took no response bytes within send-timeout "
                    + listener.limits().sendTimeout().toMillis() + " ms");
            ctx.close();
        } else if (evt == HeadTimer.Expired.LINGER) {
            ctx.close();
        } else if (evt == CodecEvent.CLOSE_AFTER_RESPONSE) {
            endsConnection = true;
        } else if (evt == CodecEvent.MULTIPLEXED_STREAMS) {
            if (streams == null) {
                streams = new IntObjectHashMap<>(8);
            }
            streamFlow = true;
        } else if (evt == HeadTimer.Expired.IDLE || evt == Drain.INSTANCE) {
            closing = true;
            if (current == null && (streams == null || streams.isEmpty())) {
                ctx.close();
            }
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    /**
     * A body stalled past body-timeout: the request gets 408 if the app has not started its response, else the
     * connection is cut; either way the app's reads of the body fail. A multiplexed connection answers only its
     * stalled streams ({@link StalledStreams}).
     */
    private void answerStalledBody() {
        ProtocolException failure = new ProtocolException(Fault.REQUEST_TIMEOUT, "request body stalled: no bytes "
                + "within body-timeout " + listener.limits().bodyTimeout().toMillis() + " ms");
        if (streams == null) {
            logFault(failure, null);
            answerBodyFault(failure, true);
        } else if (StalledStreams.answer(streams.values(), failure,
                e -> logFault(failure, e.head().environ().get(EnvironKeys.REMOTE_ADDR)))) {
            timer.readingBody(true);
        }
    }

    @Override
    public void pause() {
        if (paused++ == 0) {
            ctx.channel().config().setAutoRead(false);
            updateBodyTimer();
        }
    }

    @Override
    public void resume() {
        if (!ctx.executor().inEventLoop()) {
            ctx.executor().execute(this::resume);
            return;
        }
        if (paused > 0 && --paused == 0) {
            ctx.channel().config().setAutoRead(true);
            ctx.read();
            updateBodyTimer();
        }
    }

    private String peer() {
        return ConnectionPeer.describe(ctx.channel());
    }

    /** The user event that tells an idle connection to close and a busy one to close after its response. */
    public enum Drain { INSTANCE }
}
