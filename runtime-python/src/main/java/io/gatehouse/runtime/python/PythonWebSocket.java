package io.gatehouse.runtime.python;

import io.gatehouse.spi.exchange.Exchange;
import io.gatehouse.spi.exchange.WebSocket;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

/**
 * A WebSocket on a loop lane (docs/worker-protocol.md, "WebSockets"): the app's accept, messages and close go to
 * the {@link WebSocket}; the client's messages come to the lane as far as the app's window (MORE) allows, so an app
 * that does not receive stops the listener reading from its client; the app's sends stop reading from the lane while
 * the client is behind. Runs on the lane's loop (the socket's callbacks hop there).
 */
final class PythonWebSocket implements WebSocket.Receiver {
    /** Largest piece of a message in one WS_RECEIVE: the frame limit, less the flags byte. */
    private static final int PIECE = WsgiFrames.MAX_PAYLOAD - 1;

    private final Exchange exchange;
    private final WebSocket socket;
    private final Channel lane;
    /** Message bytes the app is ready for (its MOREs, less what was sent). */
    private long window;
    private boolean reading;
    private boolean disconnected;
    private boolean paused;

    PythonWebSocket(Exchange exchange, Channel lane) {
        this.exchange = exchange;
        this.socket = exchange.websocket();
        this.lane = lane;
    }

    /** A WebSocket frame from the lane; the caller releases it. */
    void onFrame(WsgiFrame frame) throws WsgiProtocolException {
        ByteBuf p = frame.content();
        switch (frame.type()) {
            case WS_ACCEPT -> {
                WsgiFrames.Accept accept = WsgiFrames.accept(p);
                if (!socket.accept(accept.subprotocol(), accept.headers())) {
                    disconnect(WebSocket.ABNORMAL, "");
                }
            }
            case WS_SEND -> {
                if (!socket.accepted()) {
                    throw new WsgiProtocolException("WS_SEND before WS_ACCEPT");
                }
                if (!p.isReadable()) {
                    throw new WsgiProtocolException("WS_SEND without its flags");
                }
                int flags = p.readUnsignedByte();
                boolean more = (flags & WsgiFrames.WS_MORE) != 0;
                if (!socket.send(p.retainedSlice(), (flags & WsgiFrames.WS_TEXT) != 0, !more)) {
                    disconnect(WebSocket.ABNORMAL, "");
                }
                pauseIfBackedUp();
            }
            case WS_CLOSE -> {
                WsgiFrames.Close close = WsgiFrames.close(p);
                socket.close(close.code(), close.reason());
            }
            default -> throw new WsgiProtocolException(frame.type() + " during a WebSocket");
        }
    }

    /** MORE: the app takes {@code bytes} more of the client's messages. */
    void more(int bytes) {
        window += bytes;
        pump();
    }

    private void pump() {
        if (!reading && window > 0 && !disconnected) {
            reading = true;
            socket.read(this);
        }
    }

    @Override
    public void onMessage(ByteBuf data, boolean text, boolean last) {
        lane.eventLoop().execute(() -> forward(data, text, last));
    }

    private void forward(ByteBuf data, boolean text, boolean last) {
        reading = false;
        if (disconnected) {
            data.release();
            return;
        }
        window -= data.readableBytes();
        int flags = text ? WsgiFrames.WS_TEXT : 0;
        do {
            int n = Math.min(PIECE, data.readableBytes());
            boolean end = last && n == data.readableBytes();
            ByteBuf head = WsgiFrames.header(lane.alloc(), WsgiFrameType.WS_RECEIVE, 1 + n)
                    .writeByte(end ? flags : flags | WsgiFrames.WS_MORE);
            lane.write(head, lane.voidPromise());
            lane.write(data.readRetainedSlice(n), lane.voidPromise());
        } while (data.isReadable());
        data.release();
        lane.flush();
        pump();
    }

    @Override
    public void onClose(int code, String reason) {
        lane.eventLoop().execute(() -> {
            reading = false;
            disconnect(code, reason);
        });
    }

    /** Tells the app the socket is over for the client (once): its receive() then says websocket.disconnect. */
    void disconnect(int code, String reason) {
        if (!disconnected) {
            disconnected = true;
            lane.writeAndFlush(WsgiFrames.disconnect(lane.alloc(), code, reason), lane.voidPromise());
        }
    }

    /** The client left without a close frame. */
    void clientLeft() {
        disconnect(WebSocket.ABNORMAL, "");
    }

    /**
     * The worker is retired (a reload, or a stop) past reload-mercy: the client gets 1012 (service restart) and a
     * proper close, not a reset, and the app is told the same.
     */
    void restart() {
        socket.close(WebSocket.SERVICE_RESTART, "service restart");
        disconnect(WebSocket.SERVICE_RESTART, "service restart");
    }

    /**
     * The app returned (END): a socket it left open is closed with 1000; one it never accepted is refused with 403,
     * as ASGI servers do.
     */
    void ended() {
        resume();
        disconnected = true; // the lane may run another request now: nothing more of this socket goes to it
        if (socket.accepted()) {
            socket.close(WebSocket.NORMAL, "");
        } else if (!exchange.response().committed()) {
            exchange.response().error(403, null);
        }
    }

    private void pauseIfBackedUp() {
        if (paused || socket.writable()) {
            return;
        }
        paused = true;
        lane.config().setAutoRead(false);
        socket.whenWritable(() -> lane.eventLoop().execute(this::resume));
    }

    /** Reads from the lane again: the client drained, or the app is over. */
    void resume() {
        if (paused) {
            paused = false;
            lane.config().setAutoRead(true);
        }
    }
}
