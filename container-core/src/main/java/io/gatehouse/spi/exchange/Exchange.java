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

    /** True once the exchange is over from the client's side. */
    boolean completed();
}
