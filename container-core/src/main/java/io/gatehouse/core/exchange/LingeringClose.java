package io.gatehouse.core.exchange;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The close of a connection whose request body was not read to its end, in two steps as nginx's lingering close:
 * the sending side now (the peer has the whole answer), the rest once the body has been read and dropped, the peer
 * closed, no byte came for lingering-timeout (the head timer's), or lingering-time passed. Closing at once with
 * unread bytes resets the connection, and the peer (a proxy still sending the body, say) could lose the answer.
 */
final class LingeringClose {
    private boolean active;
    private ScheduledFuture<?> deadline;

    /** Starts lingering on {@code channel} for at most {@code time}; a zero time closes it at once. */
    void start(Channel channel, Duration time, HeadTimer timer) {
        long total = time.toNanos();
        if (total <= 0) {
            channel.close();
            return;
        }
        active = true;
        timer.lingering();
        deadline = channel.eventLoop().schedule(() -> channel.close(), total, TimeUnit.NANOSECONDS);
        // shutting the socket's output drops the writes still queued: wait until the answer has all gone out (the
        // empty write, from the pipeline's first handler, passes no codec and completes after what was written
        // before it). On TLS no close_notify is sent: SslHandler would close the socket right after it, and a close
        // with bytes unread resets the connection; the answer is framed, so its end is known without one.
        ChannelHandlerContext first = channel.pipeline().firstContext();
        first.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> {
            if (f.isSuccess() && channel.isActive() && channel instanceof DuplexChannel duplex) {
                duplex.shutdownOutput();
            }
        });
    }

    /** True while the connection lingers: what it reads is dropped, and the end of the body closes it. */
    boolean active() {
        return active;
    }

    /** The connection closed. */
    void cancel() {
        if (deadline != null) {
            deadline.cancel(false);
        }
    }
}
