package io.gatehouse.core.exchange;

import io.gatehouse.app.EnvironKeys;
import io.gatehouse.app.Headers;
import io.gatehouse.spi.exchange.LastResponseChunk;
import io.gatehouse.spi.exchange.Response;
import io.gatehouse.spi.exchange.ResponseAbort;
import io.gatehouse.spi.exchange.ResponseChunk;
import io.gatehouse.spi.exchange.ResponseFields;
import io.gatehouse.spi.exchange.ResponseFile;
import io.gatehouse.spi.exchange.ResponseHead;
import io.gatehouse.spi.exchange.StatusReasons;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.util.ReferenceCountUtil;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The listener's response: messages written on the channel's loop at once, or batched from other threads and
 * handed over at the next flush, with writers held back while the handed-over bytes or the socket are backed up.
 */
final class ChannelResponse implements Response {
    private enum State { OPEN, COMMITTED, DONE }

    private static final Logger LOG = Logger.getLogger(ChannelResponse.class.getName());

    /** Bytes handed over from other threads but not yet taken by the loop, beyond which writers wait. */
    private static final long HANDOVER_LIMIT = 128 * 1024;

    private final ChannelExchange exchange;
    private final Channel channel;
    private final int streamId;
    private final boolean multiplexed;
    private final List<Runnable> writableCallbacks = new ArrayList<>(1);
    private State state = State.OPEN;
    private int status;
    private long bytesSent;
    private boolean close;
    /** Messages written off the channel's loop, handed over in one task at the next flush or end. */
    private List<Object> pending;
    /** Bytes of {@link #pending}: what the batch's task takes off {@link #handoverBytes} once it has run. */
    private long pendingBytes;
    private long handoverBytes;
    /** The codec says the client keeps this stream's window closed (HTTP/2): writers wait as for a full socket. */
    private boolean streamBlocked;

    ChannelResponse(ChannelExchange exchange, Channel channel, boolean multiplexed) {
        this.exchange = exchange;
        this.channel = channel;
        this.streamId = exchange.head().streamId();
        this.multiplexed = multiplexed;
    }

    @Override
    public synchronized boolean head(int status, String reason, Headers headers, long contentLength) {
        if (state != State.OPEN) {
            return false;
        }
        if (headers == null) {
            headers = new Headers();
        }
        // 101 only completes a WebSocket handshake the listener offered: an app cannot switch protocols otherwise
        boolean upgrade = status == 101 && exchange.websocket() != null;
        String problem = ResponseFields.problem(upgrade ? 200 : status, reason, headers);
        if (problem != null) {
            refuse(problem);
            return false;
        }
        state = State.COMMITTED;
        this.status = status;
        this.close = exchange.closeAfterResponse();
        send(new ResponseHead(exchange.head(), status, reason, headers, contentLength, close), 0);
        return true;
    }

    /**
     * An app's head that could split the response (or is not HTTP at all) never reaches the encoder: the client gets
     * a 500, the log one line naming the app, and the app's further writes are dropped as after any end.
     */
    private void refuse(String problem) {
        LOG.warning("app '" + exchange.appName() + "': response head refused, answered 500 instead: " + problem
                + " (" + exchange.environ().get(EnvironKeys.REQUEST_METHOD) + " "
                + exchange.environ().getOrDefault(EnvironKeys.REQUEST_URI, "") + " from " + exchange.peer() + ")");
        error(500, null);
    }

    @Override
    public synchronized boolean chunk(ByteBuf data, boolean flush) {
        if (state != State.COMMITTED) {
            data.release();
            return false;
        }
        int n = data.readableBytes();
        bytesSent += n;
        send(new ResponseChunk(data, streamId), n);
        if (flush) {
            flush();
        }
        return true;
    }

    @Override
    public synchronized boolean file(FileChannel file, long position, long count) {
        if (state != State.COMMITTED) {
            closeQuietly(file);
            return false;
        }
        bytesSent += count;
        send(new ResponseFile(file, position, count, streamId), 0);
        return true;
    }

    @Override
    public synchronized void flush() {
        handOver(null);
    }

    @Override
    public void end() {
        synchronized (this) {
            if (state != State.COMMITTED) {
                return;
            }
            state = State.DONE;
            handOver(LastResponseChunk.of(streamId));
        }
    }

    @Override
    public void abort() {
        synchronized (this) {
            if (state == State.DONE) {
                return;
            }
            state = State.DONE;
            handOver(multiplexed ? new ResponseAbort(streamId) : CLOSE);
        }
        exchange.complete(false);
    }

    /**
     * Writes {@code msg} at once on the channel's loop; from another thread it joins the batch handed over at the
     * next flush, so a small response from a worker thread costs the loop one task, not one per message.
     */
    private void send(Object msg, long bytes) {
        if (pending == null && channel.eventLoop().inEventLoop()) {
            channel.write(msg, channel.voidPromise());
            return;
        }
        if (pending == null) {
            pending = new ArrayList<>(4);
        }
        pending.add(msg);
        pendingBytes += bytes;
        handoverBytes += bytes;
    }

    /** Hands the batch (and {@code last}, if any) to the loop, flushing; {@code last} ends or cuts the response. */
    private void handOver(Object last) {
        List<Object> batch = pending;
        long bytes = pendingBytes; // this batch's bytes only: earlier batches may still be on their way
        pending = null;
        pendingBytes = 0;
        if (channel.eventLoop().inEventLoop()) {
            handoverBytes -= bytes;
            writeBatch(batch, last);
        } else {
            channel.eventLoop().execute(() -> {
                writeBatch(batch, last);
                synchronized (this) {
                    handoverBytes -= bytes;
                }
                writabilityChanged();
            });
        }
    }

    private void writeBatch(List<Object> batch, Object last) {
        if (batch != null) {
            for (Object msg : batch) {
                channel.write(msg, channel.voidPromise());
            }
        }
        if (last == CLOSE) {
            channel.flush();
            channel.close();
        } else if (last instanceof LastResponseChunk) {
            channel.writeAndFlush(last).addListener(f -> exchange.complete(f.isSuccess()));
        } else if (last != null) {
            channel.writeAndFlush(last, channel.voidPromise());
        } else {
            channel.flush();
        }
    }

    /** Marks the end of a batch that closes the connection instead of writing a message. */
    private static final Object CLOSE = new Object();

    @Override
    public void error(int status, Headers extra) {
        Headers headers = extra != null ? extra : new Headers();
        String text = status + " " + StatusReasons.of(status) + "\n";
        ByteBuf body = Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
        headers.set("Content-Type", "text/plain; charset=utf-8");
        headers.set("Content-Length", Integer.toString(body.readableBytes()));
        synchronized (this) {
            if (state == State.OPEN && head(status, null, headers, body.readableBytes())) {
                chunk(body, false);
                end();
                return;
            }
        }
        body.release();
        abort();
    }

    @Override
    public synchronized boolean committed() {
        return state != State.OPEN;
    }

    @Override
    public synchronized boolean done() {
        return state == State.DONE;
    }

    @Override
    public synchronized int status() {
        return status;
    }

    @Override
    public synchronized long bytesSent() {
        return bytesSent;
    }

    @Override
    public boolean onLoop() {
        return channel.eventLoop().inEventLoop();
    }

    @Override
    public synchronized boolean writable() {
        return channel.isWritable() && handoverBytes < HANDOVER_LIMIT && !streamBlocked;
    }

    /** The codec saw this stream's flow-control window open or close. */
    void streamWritable(boolean writable) {
        synchronized (this) {
            streamBlocked = !writable;
        }
        writabilityChanged();
    }

    @Override
    public void whenWritable(Runnable callback) {
        synchronized (this) {
            if (!writable() && state != State.DONE) {
                writableCallbacks.add(callback);
                return;
            }
        }
        callback.run();
    }

    @Override
    public synchronized boolean awaitWritable(long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        while (!writable() && state != State.DONE) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return state != State.DONE;
    }

    /** The listener saw the socket's writability change (or the connection end). */
    void writabilityChanged() {
        List<Runnable> ready;
        synchronized (this) {
            notifyAll();
            if (writableCallbacks.isEmpty() || (!writable() && state != State.DONE)) {
                return;
            }
            ready = new ArrayList<>(writableCallbacks);
            writableCallbacks.clear();
        }
        ready.forEach(Runnable::run);
    }

    /** The client went away: everything from now on is dropped. */
    void cut() {
        synchronized (this) {
            state = State.DONE;
            if (pending != null) {
                pending.forEach(ReferenceCountUtil::release);
                pending = null;
                handoverBytes -= pendingBytes;
                pendingBytes = 0;
            }
        }
        writabilityChanged();
    }

    boolean closesConnection() {
        return close;
    }

    private static void closeQuietly(FileChannel file) {
        try {
            file.close();
        } catch (java.io.IOException ignored) {
            // nothing was sent from it; a failed close leaks nothing we could recover
        }
    }
}
