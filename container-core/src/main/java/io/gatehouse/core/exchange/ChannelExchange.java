package io.gatehouse.core.exchange;

import io.gatehouse.app.Environ;
import io.gatehouse.app.EnvironKeys;
import io.gatehouse.spi.exchange.EnvironHead;
import io.gatehouse.spi.exchange.Exchange;
import io.gatehouse.spi.exchange.WebSocket;
import io.gatehouse.spi.protocol.ConnectionPeer;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

/** The listener's exchange: one request in flight on a channel, told over by its {@link Observer}. */
final class ChannelExchange implements Exchange {

    /** Told when an exchange is over (answered, aborted, or its client gone); runs on the listener's loop. */
    interface Observer {
        void exchangeComplete(ChannelExchange exchange, boolean ok);

        boolean closing();
    }

    private final EnvironHead head;
    private final Channel channel;
    private final Observer observer;
    private final BufferedRequestBody body;
    private final ChannelResponse response;
    private final WebSocket websocket;
    private final long startNanos = System.nanoTime();
    private final AtomicBoolean completed = new AtomicBoolean();
    private final boolean multiplexed;
    private volatile boolean clientGone;
    private volatile String appName;
    /** Guarded by this exchange: what to run when the client goes away. */
    private Runnable goneCallback;

    ChannelExchange(EnvironHead head, Channel channel, Observer observer, BufferedRequestBody.FlowControl flow, int bodyHighWater,
            boolean multiplexed) {
        this.head = head;
        this.channel = channel;
        this.observer = observer;
        this.multiplexed = multiplexed;
        this.body = new BufferedRequestBody(flow, head.contentLength(), bodyHighWater);
        this.response = new ChannelResponse(this, channel, multiplexed);
        this.websocket = head.websocket() != null ? head.websocket().open(response) : null;
    }

    @Override
    public EnvironHead head() {
        return head;
    }

    @Override
    public Environ environ() {
        return head.environ();
    }

    @Override
    public BufferedRequestBody body() {
        return body;
    }

    @Override
    public ChannelResponse response() {
        return response;
    }

    @Override
    public WebSocket websocket() {
        return websocket;
    }

    @Override
    public EventLoop eventLoop() {
        return channel.eventLoop();
    }

    Channel channel() {
        return channel;
    }

    @Override
    public long startNanos() {
        return startNanos;
    }

    @Override
    public String peer() {
        String addr = environ().get(EnvironKeys.REMOTE_ADDR);
        String port = environ().get(EnvironKeys.REMOTE_PORT);
        if (addr == null) {
            return ConnectionPeer.describe(channel);
        }
        return port == null ? addr : addr + ":" + port;
    }

    @Override
    public String appName() {
        return appName;
    }

    @Override
    public void appName(String name) {
        this.appName = name;
    }

    @Override
    public boolean clientGone() {
        return clientGone;
    }

    @Override
    public boolean completed() {
        return completed.get();
    }

    @Override
    public void whenClientGone(Runnable callback) {
        synchronized (this) {
            if (!clientGone) {
                goneCallback = completed.get() ? null : callback;
                return;
            }
        }
        callback.run();
    }

    /**
     * True when the connection must close after this response: the client asked, the server is draining, or the
     * app answered before the client finished sending its body (reading the rest only to drop it would let one
     * client hold the connection for as long as its upload lasts), or the request offered a WebSocket (accepted,
     * the connection is the socket's; refused, what follows on it was meant for a socket).
     */
    boolean closeAfterResponse() {
        return !head.keepAlive() || websocket != null || observer.closing() || (!multiplexed && !body.complete());
    }

    void clientClosed() {
        Runnable gone;
        synchronized (this) {
            gone = completed.get() ? null : goneCallback;
            goneCallback = null;
            clientGone = true;
        }
        body.fail(new IOException("client closed the connection"));
        response.cut();
        complete(false);
        if (gone != null) {
            gone.run();
        }
    }

    void complete(boolean ok) {
        if (!completed.compareAndSet(false, true)) {
            return;
        }
        synchronized (this) {
            goneCallback = null;
        }
        if (channel.eventLoop().inEventLoop()) {
            observer.exchangeComplete(this, ok);
        } else {
            channel.eventLoop().execute(() -> observer.exchangeComplete(this, ok));
        }
    }
}
