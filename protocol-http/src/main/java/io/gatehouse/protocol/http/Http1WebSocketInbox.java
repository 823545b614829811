package io.gatehouse.protocol.http;

import io.gatehouse.spi.exchange.WebSocket;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * What a WebSocket's client sent that its runtime has not read yet: pieces of messages and the close, handed over one
 * per {@link WebSocket#read}. While the runtime is behind, reading from the client stops, so a socket holds at most one
 * read of the client's bytes here. Loop only.
 */
final class Http1WebSocketInbox {
    /** A piece of a message ({@code data} non-null) or the close. */
    private record Event(ByteBuf data, boolean text, boolean last, int code, String reason) {
    }

    private final ArrayDeque<Event> queue = new ArrayDeque<>(4);
    private Channel channel;
    private WebSocket.Receiver reader;
    private boolean closed;

    /** Reading from {@code channel} is paused and resumed from now on (the socket's handler is in place). */
    void attach(Channel channel) {
        this.channel = channel;
    }

    void read(WebSocket.Receiver receiver) {
        Event next = queue.poll();
        if (next == null) {
            reader = receiver;
            if (channel != null && !channel.config().isAutoRead()) {
                channel.config().setAutoRead(true);
            }
            return;
        }
        dispatch(receiver, next);
    }

    void message(ByteBuf data, boolean text, boolean last) {
        deliver(new Event(data, text, last, 0, null));
    }

    /** The close (once): the client's, a failure's, or {@link WebSocket#ABNORMAL} for a connection lost. */
    void close(int code, String reason) {
        if (!closed) {
            closed = true;
            deliver(new Event(null, false, true, code, reason));
        }
    }

    /** The client is gone: its unread messages are dropped; the close stays for the runtime to read. */
    void dropMessages() {
        for (Event e : queue) {
            ReferenceCountUtil.release(e.data());
        }
        queue.removeIf(e -> e.data() != null);
    }

    private void deliver(Event event) {
        WebSocket.Receiver r = reader;
        if (r != null && queue.isEmpty()) {
            reader = null;
            dispatch(r, event);
            return;
        }
        queue.add(event);
        if (channel != null) {
            // the runtime is behind: stop reading from the client until it catches up
            channel.config().setAutoRead(false);
        }
    }

    private static void dispatch(WebSocket.Receiver r, Event e) {
        if (e.data() != null) {
            r.onMessage(e.data(), e.text(), e.last());
        } else {
            r.onClose(e.code(), e.reason());
        }
    }
}
