package io.gatehouse.core.exchange;

import io.gatehouse.app.Environ;
import io.gatehouse.app.EnvironKeys;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One request in flight: its environ, its body as it arrives, and its response. Everything after the router
 * (pools, workers, runtimes) sees a request only as an exchange, never as a protocol.
 */
public final class Exchange {

    /** Told when an exchange is over (answered, aborted, or its client gone); runs on the listener's loop. */
    interface Observer {
        void exchangeComplete(Exchange exchange, boolean ok);

        boolean closing();
    }

    private final EnvironHead head;
    private final Channel channel;
    private final Observer observer;
    private final RequestBody body;
    private final Response response;
    private final long startNanos = System.nanoTime();
    private final AtomicBoolean completed = new AtomicBoolean();
    private final boolean multiplexed;
    private volatile boolean clientGone;
    private volatile String appName;

    Exchange(EnvironHead head, Channel channel, Observer observer, RequestBody.FlowControl flow, int bodyHighWater,
            boolean multiplexed) {
        this.head = head;
        this.channel = channel;
        this.observer = observer;
        this.multiplexed = multiplexed;
        this.body = new RequestBody(flow, head.contentLength(), bodyHighWater);
        this.response = new Response(this, channel, multiplexed);
    }

    /** The request head as the listener decoded it. */
    public EnvironHead head() {
        return head;
    }

    /** The request's environ (SCRIPT_NAME and PATH_INFO already fixed for the app's mount). */
    public Environ environ() {
        return head.environ();
    }

    /** The request body. */
    public RequestBody body() {
        return body;
    }

    /** The response. */
    public Response response() {
        return response;
    }

    /** The event loop of the client's connection: work on it needs no hand-over to reach the client. */
    public EventLoop eventLoop() {
        return channel.eventLoop();
    }

    Channel channel() {
        return channel;
    }

    /** When the head arrived, in {@link System#nanoTime()} terms. */
    public long startNanos() {
        return startNanos;
    }

    /** The client as {@code addr:port} (or the unix socket's peer), for log lines. */
    public String peer() {
        String addr = environ().get(EnvironKeys.REMOTE_ADDR);
        String port = environ().get(EnvironKeys.REMOTE_PORT);
        if (addr == null) {
            return String.valueOf(channel.remoteAddress());
        }
        return port == null ? addr : addr + ":" + port;
    }

    /** The name of the app the router chose, or null before routing. */
    public String appName() {
        return appName;
    }

    /** Records the app the router chose (for logs and meters). */
    public void appName(String name) {
        this.appName = name;
    }

    /** True once the client has gone away; queued exchanges in this state are skipped. */
    public boolean clientGone() {
        return clientGone;
    }

    /** True once the exchange is over from the client's side. */
    public boolean completed() {
        return completed.get();
    }

    /**
     * True when the connection must close after this response: the client asked, the server is draining, or the
     * app answered before the client finished sending its body (reading the rest only to drop it would let one
     * client hold the connection for as long as its upload lasts).
     */
    boolean closeAfterResponse() {
        return !head.keepAlive() || observer.closing() || (!multiplexed && !body.complete());
    }

    void clientClosed() {
        clientGone = true;
        body.fail(new IOException("client closed the connection"));
        response.cut();
        complete(false);
    }

    void complete(boolean ok) {
        if (!completed.compareAndSet(false, true)) {
            return;
        }
        if (channel.eventLoop().inEventLoop()) {
            observer.exchangeComplete(this, ok);
        } else {
            channel.eventLoop().execute(() -> observer.exchangeComplete(this, ok));
        }
    }
}
