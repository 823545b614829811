package io.gatehouse.protocol.http;

import io.gatehouse.config.ConfigValueException;
import io.gatehouse.config.DataSize;
import io.gatehouse.config.Default;
import io.gatehouse.config.Max;
import io.gatehouse.config.Min;
import java.time.Duration;

/**
 * The {@code websocket:} block of an http listener (docs/protocols/http.md): whether WebSocket handshakes (RFC 6455)
 * are carried out for the apps that take them (ASGI apps), and their limits.
 *
 * @param enabled        carry out handshakes; off, an Upgrade request reaches the app as a plain GET
 * @param maxMessageSize largest message a client may send, all its fragments together (also the largest frame);
 *                       larger closes with 1009
 * @param idleTimeout    time without any frame from the client (a pong counts) before the socket is closed with 1001
 *                       (0 = none)
 * @param pingInterval   time without a frame from the client after which a ping is sent, so that a live but quiet
 *                       client answers and a dead one is found by {@code idleTimeout} (0 = never)
 * @param closeTimeout   how long the close handshake waits for the client's close frame before the connection is
 *                       closed anyway
 * @param compression    offer permessage-deflate (RFC 7692) to clients that ask for it
 */
public record Http1WebSocketOptions(
        @Default("true") boolean enabled,
        @Default(DEFAULT_MAX_MESSAGE_SIZE) @Min(MIN_MESSAGE) @Max(MAX_MESSAGE) DataSize maxMessageSize,
        @Default(DEFAULT_IDLE_TIMEOUT) Duration idleTimeout,
        @Default(DEFAULT_PING_INTERVAL) Duration pingInterval,
        @Default(DEFAULT_CLOSE_TIMEOUT) Duration closeTimeout,
        @Default("false") boolean compression) {

    public static final String DEFAULT_MAX_MESSAGE_SIZE = "1MiB";
    public static final String DEFAULT_IDLE_TIMEOUT = "60s";
    public static final String DEFAULT_PING_INTERVAL = "20s";
    public static final String DEFAULT_CLOSE_TIMEOUT = "5s";

    /** RFC 6455 5.5: a control frame carries at most 125 bytes, so a smaller limit could refuse a close frame. */
    static final long MIN_MESSAGE = 125;
    static final long MAX_MESSAGE = 1L << 30;

    /** The defaults, as an http listener without a websocket block gets them. */
    public static final Http1WebSocketOptions DEFAULTS = new Http1WebSocketOptions(true,
            DataSize.parse(DEFAULT_MAX_MESSAGE_SIZE), Duration.ofSeconds(60), Duration.ofSeconds(20),
            Duration.ofSeconds(5), false);

    public Http1WebSocketOptions {
        if (maxMessageSize.bytes() < MIN_MESSAGE || maxMessageSize.bytes() > MAX_MESSAGE) {
            throw new ConfigValueException("max-message-size", maxMessageSize.bytes() + " (expected: " + MIN_MESSAGE
                    + ".." + MAX_MESSAGE + ")");
        }
        if (idleTimeout.isNegative() || pingInterval.isNegative()) {
            throw new ConfigValueException(idleTimeout.isNegative() ? "idle-timeout" : "ping-interval",
                    "must not be negative");
        }
        if (closeTimeout.isNegative() || closeTimeout.isZero()) {
            throw new ConfigValueException("close-timeout", "must be positive");
        }
    }

    /** These options with {@code compression} (tests). */
    Http1WebSocketOptions withCompression(boolean on) {
        return new Http1WebSocketOptions(enabled, maxMessageSize, idleTimeout, pingInterval, closeTimeout, on);
    }
}
