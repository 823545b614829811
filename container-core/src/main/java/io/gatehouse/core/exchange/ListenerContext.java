package io.gatehouse.core.exchange;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What every connection of one listener shares: its name, its protocol's traits and limits, the routing in
 * force (swapped on reload), the exchange log, and whether the server is draining.
 *
 * @param name          the listener's name, for log lines and the environ
 * @param protocol      the protocol's name
 * @param multiplexed   true when one connection carries concurrent requests (FastCGI)
 * @param bodyBuffer    request body bytes buffered per exchange before reading from the socket pauses
 * @param headerTimeout time allowed for a request head to arrive once it has started (or the connection opened)
 * @param idleTimeout   time a kept-alive connection may sit idle between requests
 * @param routing       the routing in force
 * @param log           told about each finished exchange
 * @param draining      true once the server stops taking new requests
 * @param notices       the listener's once-only warnings
 */
public record ListenerContext(String name, String protocol, boolean multiplexed, int bodyBuffer,
        Duration headerTimeout, Duration idleTimeout, Supplier<Routing> routing, ExchangeLog log,
        BooleanSupplier draining, ListenerNotices notices) {

    /** A context with fresh notices. */
    public ListenerContext(String name, String protocol, boolean multiplexed, int bodyBuffer, Duration headerTimeout,
            Duration idleTimeout, Supplier<Routing> routing, ExchangeLog log, BooleanSupplier draining) {
        this(name, protocol, multiplexed, bodyBuffer, headerTimeout, idleTimeout, routing, log, draining,
                new ListenerNotices());
    }

    /** Default per-exchange body buffer: beyond it the listener stops reading until the worker catches up. */
    public static final int DEFAULT_BODY_BUFFER = 256 * 1024;
}
