package io.gatehouse.spi.exchange;

import io.gatehouse.app.Environ;
import io.netty.channel.EventLoop;

/**
 * One request in flight: its environ, its body as it arrives, and its response. Everything after the router
 * (pools, workers, runtimes) sees a request only as an exchange, never as a protocol.
 */
public interface Exchange {

    /** The request head as the listener decoded it. */
    EnvironHead head();

    /** The request's environ (SCRIPT_NAME and PATH_INFO already fixed for the app's mount). */
    Environ environ();

    /** The request body. */
    RequestBody body();

    /** The response. */
    Response response();

    /**
     * The WebSocket the client's handshake offers, or null for an ordinary request. A runtime that cannot carry
     * WebSockets never sees one: the pool refuses it first ({@link WebSocket#refuse}).
     */
    default WebSocket websocket() {
        return null;
    }

    /** The event loop of the client's connection: work on it needs no hand-over to reach the client. */
    EventLoop eventLoop();

    /** When the head arrived, in {@link System#nanoTime()} terms. */
    long startNanos();

    /** The client as {@code addr:port} (or the unix socket's peer), for log lines. */
    String peer();

    /** The name of the app the router chose, or null before routing. */
    String appName();

    /** Records the app the router chose (for logs and meters). */
    void appName(String name);

    /** True once the client has gone away; queued exchanges in this state are skipped. */
    boolean clientGone();

    /**
     * Runs {@code callback} once if the client goes away before the exchange completes (at once if it has gone
     * already), on the listener's loop or the caller's thread; never once the exchange has completed. A later call
     * replaces an earlier callback (an exchange handed to another worker). Lets a worker tell an app that waits,
     * silent, that its client left (ASGI's {@code http.disconnect}).
     */
    void whenClientGone(Runnable callback);

    /** True once the exchange is over from the client's side. */
    boolean completed();
}
