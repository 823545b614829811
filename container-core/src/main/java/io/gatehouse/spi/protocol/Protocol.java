package io.gatehouse.spi.protocol;

import io.gatehouse.config.ConfigScope;
import io.gatehouse.config.ListenerConfig;
import io.netty.channel.ChannelPipeline;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;

/**
 * A wire protocol a listener can speak, found with {@link java.util.ServiceLoader}: a jar on the classpath adds a
 * protocol, and a listener's {@code protocol:} key selects it by {@link #name()}. The protocol owns its options
 * (the record bound from the listener's other YAML keys) and its codec; it meets the rest of the system only
 * through the core messages ({@code EnvironHead}, {@code BodyChunk}, {@code ResponseHead}, ...).
 *
 * @param <O> the protocol's options record, which is also its YAML schema
 */
public interface Protocol<O extends Record> {

    /** The name used in the config, e.g. "http", "uwsgi". */
    String name();

    /** The options record bound from the listener's protocol-specific keys. */
    Class<O> optionsType();

    /**
     * Checks that need the listener as a whole (e.g. a secret on a public address), each mistake reported to
     * {@code where}, the listener's place in the config: {@code where.key("secret").error(...)}. Also called when
     * another of the listener's values had a mistake: {@code options} then holds stand-ins for the values that failed.
     */
    default void validate(O options, ListenerConfig listener, ConfigScope where) {
    }

    /** Adds the protocol's decoder and encoder to a new connection; the core adds its handlers around them. */
    void initChannel(ChannelPipeline pipeline, O options);

    /**
     * True when a listener of this protocol may take a PROXY protocol header before its first request
     * ({@code proxy-protocol: true}); the header's source is then the peer {@link ConnectionPeer} gives.
     */
    default boolean acceptsProxyProtocol() {
        return false;
    }

    /**
     * Prepares what the connections of one listener share: called when the listener is set up and again at every
     * reload, never per connection. A protocol whose options name files (TLS certificates and keys) reads them
     * here, so a reload picks up new ones while open connections keep what they started with. By default each
     * connection gets {@link #initChannel(ChannelPipeline, Record, ConnectionLimits)} with the listener's limits.
     *
     * @throws IOException when a file cannot be used; at a reload the listener then keeps its previous setup
     */
    default ChannelSetup setup(O options, ListenerConfig listener) throws IOException {
        ConnectionLimits limits = ConnectionLimits.of(listener, this);
        return pipeline -> initChannel(pipeline, options, limits);
    }

    /**
     * The limits of this protocol a worker applies when it accepts a listener's connections itself (the direct path,
     * {@code io.gatehouse.spi.runtime.DirectListener#limits()}), or null when workers cannot serve the protocol
     * themselves and the master takes every connection.
     */
    default Map<String, Object> directLimits(O options) {
        return null;
    }

    /** True when one connection carries several requests at once (FastCGI request ids). */
    default boolean multiplexed() {
        return false;
    }

    /** Request body bytes buffered per exchange under these options before reading from the connection pauses. */
    int bodyBuffer(O options);

    /**
     * The keepalive-timeout of this protocol's listeners that set none: how long a connection may idle between
     * requests (0 for as long as the peer keeps it, as a web server's pool of AJP connections expects).
     */
    default Duration keepaliveTimeout() {
        return ConnectionLimits.DEFAULT_KEEPALIVE_TIMEOUT;
    }

    /**
     * Adds the protocol's decoder and encoder to a new connection, for a protocol that tells its peer the listener's
     * limits (FastCGI's FCGI_MAX_CONNS); the engine applies them itself, so others need only
     * {@link #initChannel(ChannelPipeline, Record)}.
     */
    default void initChannel(ChannelPipeline pipeline, O options, ConnectionLimits limits) {
        initChannel(pipeline, options);
    }
}
