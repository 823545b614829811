package io.gatehouse.runtime.python;

import io.gatehouse.spi.exchange.RequestBody;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.ThreadExecutorMap;
import java.io.IOException;

/**
 * The request body of one exchange on its way to the worker. A small body of known length goes unasked right
 * behind the REQUEST frame (BODY_INLINE), flushed with it once whole; any other body goes piece by piece, each
 * piece the answer to one MORE, read from {@link RequestBody} only then, so a slow worker pauses the client.
 * Runs on the listener's loop (data arriving) and the lane's (MORE), hence synchronized.
 */
final class PythonBody implements RequestBody.Receiver {
    /** Bodies up to this size are sent with the request, unasked. */
    static final int INLINE_MAX = 64 * 1024;

    private final Channel channel;
    private final RequestBody body;
    private final int mode;
    private boolean reading;
    private boolean readAgain;
    private boolean inlineFlushed;
    private boolean done;
    private boolean over;
    private int credit;
    private ByteBuf remainder;
    private boolean remainderLast;

    PythonBody(Channel channel, RequestBody body) {
        this.channel = channel;
        this.body = body;
        long length = body.contentLength();
        this.mode = length == 0 ? WsgiFrames.BODY_NONE
                : length > 0 && length <= INLINE_MAX ? WsgiFrames.BODY_INLINE : WsgiFrames.BODY_ON_REQUEST;
    }

    /** The REQUEST frame's body mode. */
    int mode() {
        return mode;
    }

    /**
     * Writes {@code request} and, for an inline body, whatever of it is already here; flushes at once unless the
     * body may still complete during this loop's current reads (it usually arrives right behind the head).
     */
    void send(ByteBuf request) {
        if (mode != WsgiFrames.BODY_INLINE) {
            channel.writeAndFlush(request, channel.voidPromise());
            return;
        }
        channel.write(request, channel.voidPromise());
        pumpInline();
        EventExecutor here = ThreadExecutorMap.currentExecutor();
        if (here == null) {
            flushInline();
        } else {
            here.execute(this::flushInline);
        }
    }

    private synchronized void pumpInline() {
        while (!done && !over) {
            reading = true;
            readAgain = false;
            body.read(this);
            reading = false;
            if (!readAgain) {
                return;
            }
        }
    }

    private synchronized void flushInline() {
        if (!done && !over && !inlineFlushed) {
            inlineFlushed = true;
            channel.flush();
        }
    }

    @Override
    public synchronized void onData(ByteBuf data, boolean last) {
        if (over) {
            data.release();
            return;
        }
        if (mode == WsgiFrames.BODY_INLINE) {
            write(data, last);
            done = last;
            if (last || inlineFlushed) {
                channel.flush();
            }
            if (!last) {
                if (reading) {
                    readAgain = true;
                } else {
                    pumpInline();
                }
            }
        } else if (!data.isReadable() && !last) {
            data.release();
            body.read(this);
        } else {
            deliver(data, last);
        }
    }

    @Override
    public synchronized void onError(IOException cause) {
        if (over || done) {
            return;
        }
        done = true;
        credit = 0;
        channel.writeAndFlush(WsgiFrames.text(channel.alloc(), WsgiFrameType.BODY_ABORT,
                String.valueOf(cause.getMessage())), channel.voidPromise());
    }

    /** MORE: sends the next piece, at most {@code wanted} bytes, now or when the client sends it. */
    synchronized void more(int wanted) throws WsgiProtocolException {
        if (mode != WsgiFrames.BODY_ON_REQUEST) {
            throw new WsgiProtocolException("MORE for a body that was sent with the request");
        }
        if (credit > 0) {
            throw new WsgiProtocolException("MORE while a MORE was unanswered");
        }
        if (done) {
            write(Unpooled.EMPTY_BUFFER, true);
            channel.flush();
            return;
        }
        credit = wanted;
        if (remainder != null) {
            ByteBuf rest = remainder;
            remainder = null;
            deliver(rest, remainderLast);
        } else {
            body.read(this);
        }
    }

    /** The exchange is over on the worker's side: whatever arrives later is dropped. */
    synchronized void finish() {
        over = true;
        if (remainder != null) {
            remainder.release();
            remainder = null;
        }
    }

    private void deliver(ByteBuf data, boolean last) {
        if (data.readableBytes() > credit) {
            ByteBuf piece = data.readRetainedSlice(credit);
            remainder = data;
            remainderLast = last;
            write(piece, false);
        } else {
            write(data, last);
            done = last;
        }
        credit = 0;
        channel.flush();
    }

    private void write(ByteBuf data, boolean last) {
        channel.write(WsgiFrames.header(channel.alloc(), last ? WsgiFrameType.BODY_LAST : WsgiFrameType.BODY,
                data.readableBytes()), channel.voidPromise());
        channel.write(data, channel.voidPromise());
    }
}
