package io.gatehouse.core.exchange;

import io.gatehouse.core.proxy.ForwardedHeaders;
import io.gatehouse.spi.protocol.ConnectionLimits;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What every connection of one listener shares: its name, its protocol's traits, its limits, the routing in
 * force (swapped on reload), the exchange log, whether the server is draining, and how it takes the word of the
 * proxies in front of it.
 *
 * @param name          the listener's name, for log lines and the environ
 * @param protocol      the protocol's name
 * @param multiplexed   true when one connection carries concurrent requests (FastCGI)
 * @param bodyBuffer    request body bytes buffered per exchange before reading from the socket pauses
 * @param limits        the listener's connection limits: timeouts, lingering, max-connections
 * @param routing       the routing in force
 * @param log           told about each finished exchange
 * @param draining      true once the server stops taking new requests
 * @param notices       the listener's once-only and rate-limited warnings
 * @param proxyProtocol true when every connection starts with a PROXY protocol header
 * @param forwarded     the listener's trusted proxies, applied to each request's environ
 */
public record ListenerContext(String name, String protocol, boolean multiplexed, int bodyBuffer,
        ConnectionLimits limits, Supplier<Routing> routing, ExchangeLog log, BooleanSupplier draining,
        ListenerNotices notices, boolean proxyProtocol, ForwardedHeaders forwarded) {

    /** A context with fresh notices, no PROXY protocol and no trusted proxies. */
    public ListenerContext(String name, String protocol, boolean multiplexed, int bodyBuffer, ConnectionLimits limits,
            Supplier<Routing> routing, ExchangeLog log, BooleanSupplier draining) {
        this(name, protocol, multiplexed, bodyBuffer, limits, routing, log, draining, new ListenerNotices(name), false,
                ForwardedHeaders.NONE);
    }

    /** This context taking a PROXY protocol header first (or not), and trusting {@code forwarded}'s proxies. */
    public ListenerContext behindProxies(boolean proxyProtocol, ForwardedHeaders forwarded) {
        return new ListenerContext(name, protocol, multiplexed, bodyBuffer, limits, routing, log, draining, notices,
                proxyProtocol, forwarded);
    }

    /** Default per-exchange body buffer: beyond it the listener stops reading until the worker catches up. */
    public static final int DEFAULT_BODY_BUFFER = 256 * 1024;
}
