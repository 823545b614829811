package io.gatehouse.spi.protocol;

import io.gatehouse.config.ListenerConfig;
import java.time.Duration;

/**
 * The limits every listener has, whatever its protocol (the keys of docs/configuration.md's {@code listeners[]}),
 * as the engine applies them to each connection. A zero duration turns its limit off.
 *
 * @param maxConnections   connections the listener holds at once; at the limit it stops accepting
 * @param headerTimeout    time for a request head to arrive, from its first byte or the connection's opening
 * @param keepaliveTimeout time a connection may idle between requests
 * @param bodyTimeout      longest wait for the next bytes of a request body while the listener reads it
 * @param sendTimeout      longest the client may take none of the bytes of a response waiting for it
 * @param lingeringTime    longest a connection closing with a request body unread reads and drops the rest
 * @param lingeringTimeout longest wait for the next bytes of such a body
 */
public record ConnectionLimits(int maxConnections, Duration headerTimeout, Duration keepaliveTimeout,
        Duration bodyTimeout, Duration sendTimeout, Duration lingeringTime, Duration lingeringTimeout) {

    /** The keepalive-timeout of a protocol that has no default of its own. */
    public static final Duration DEFAULT_KEEPALIVE_TIMEOUT = Duration.ofSeconds(60);

    /** The limits of {@code config}, a listener of {@code protocol} (whose keepalive-timeout applies if it sets none). */
    public static ConnectionLimits of(ListenerConfig config, Protocol<?> protocol) {
        return new ConnectionLimits(config.maxConnections(), config.headerTimeout(),
                config.keepaliveTimeout() != null ? config.keepaliveTimeout() : protocol.keepaliveTimeout(),
                config.bodyTimeout(), config.sendTimeout(), config.lingeringTime(), config.lingeringTimeout());
    }

    /** The limits a listener of {@code protocol} gets when its config sets none. */
    public static ConnectionLimits defaults(Protocol<?> protocol) {
        return new ConnectionLimits(Integer.parseInt(ListenerConfig.DEFAULT_MAX_CONNECTIONS),
                duration(ListenerConfig.DEFAULT_HEADER_TIMEOUT), protocol.keepaliveTimeout(),
                duration(ListenerConfig.DEFAULT_BODY_TIMEOUT), duration(ListenerConfig.DEFAULT_SEND_TIMEOUT),
                duration(ListenerConfig.DEFAULT_LINGERING_TIME), duration(ListenerConfig.DEFAULT_LINGERING_TIMEOUT));
    }

    /** These limits with another header-timeout. */
    public ConnectionLimits withHeaderTimeout(Duration timeout) {
        return new ConnectionLimits(maxConnections, timeout, keepaliveTimeout, bodyTimeout, sendTimeout,
                lingeringTime, lingeringTimeout);
    }

    /** These limits with another keepalive-timeout. */
    public ConnectionLimits withKeepaliveTimeout(Duration timeout) {
        return new ConnectionLimits(maxConnections, headerTimeout, timeout, bodyTimeout, sendTimeout, lingeringTime,
                lingeringTimeout);
    }

    /** These limits with another body-timeout. */
    public ConnectionLimits withBodyTimeout(Duration timeout) {
        return new ConnectionLimits(maxConnections, headerTimeout, keepaliveTimeout, timeout, sendTimeout,
                lingeringTime, lingeringTimeout);
    }

    /** These limits with another send-timeout. */
    public ConnectionLimits withSendTimeout(Duration timeout) {
        return new ConnectionLimits(maxConnections, headerTimeout, keepaliveTimeout, bodyTimeout, timeout,
                lingeringTime, lingeringTimeout);
    }

    /** These limits with other lingering times. */
    public ConnectionLimits withLingering(Duration time, Duration timeout) {
        return new ConnectionLimits(maxConnections, headerTimeout, keepaliveTimeout, bodyTimeout, sendTimeout, time,
                timeout);
    }

    /** These limits with another max-connections. */
    public ConnectionLimits withMaxConnections(int max) {
        return new ConnectionLimits(max, headerTimeout, keepaliveTimeout, bodyTimeout, sendTimeout, lingeringTime,
                lingeringTimeout);
    }

    private static Duration duration(String text) {
        return Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)));
    }
}
