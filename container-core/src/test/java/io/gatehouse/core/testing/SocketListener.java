package io.gatehouse.core.testing;

import io.gatehouse.config.BindAddress;
import io.gatehouse.config.ListenerConfig;
import io.gatehouse.core.exchange.ExchangeLog;
import io.gatehouse.core.exchange.ListenerContext;
import io.gatehouse.core.listener.InheritedSockets;
import io.gatehouse.core.listener.Listener;
import io.gatehouse.spi.exchange.Exchange;
import io.gatehouse.spi.protocol.ConnectionLimits;
import io.gatehouse.spi.protocol.Protocol;
import io.gatehouse.spi.runtime.Transport;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.function.Consumer;

/**
 * A real listener on a socket (a loopback port or a unix socket), bound as the master binds one: each connection
 * gets the head timer, the protocol's codec and the exchange handler, and hands its exchanges to an app of the
 * test's choosing. For protocol tests that need real sockets: backpressure, lingering close, clients that connect.
 */
public final class SocketListener implements AutoCloseable {
    private final Listener listener;

    private SocketListener(Listener listener) {
        this.listener = listener;
    }

    /**
     * A listener named {@code name} on {@code bind} (e.g. "127.0.0.1:0", "unix:/path") of {@code transport},
     * speaking {@code protocol} with {@code options} and handing exchanges to {@code app}.
     */
    public static <O extends Record> SocketListener bind(Transport transport, String name, String bind,
            Protocol<O> protocol, O options, Consumer<Exchange> app) throws IOException {
        return bind(transport, name, bind, protocol, options, ConnectionLimits.defaults(protocol), app);
    }

    /** As {@link #bind(Transport, String, String, Protocol, Record, Consumer)}, with {@code limits}. */
    public static <O extends Record> SocketListener bind(Transport transport, String name, String bind,
            Protocol<O> protocol, O options, ConnectionLimits limits, Consumer<Exchange> app) throws IOException {
        ListenerConfig config = config(name, bind, protocol, limits);
        ListenerContext context = new ListenerContext(config.displayName(), protocol.name(), protocol.multiplexed(),
                protocol.bodyBuffer(options), limits, () -> app::accept, ExchangeLog.NONE, () -> false);
        Listener listener = new Listener(config, protocol, options, context);
        listener.bind(transport, InheritedSockets.none());
        return new SocketListener(listener);
    }

    /** The config of a listener named {@code name} on {@code bind} with {@code limits} and no other keys. */
    static ListenerConfig config(String name, String bind, Protocol<?> protocol, ConnectionLimits limits) {
        return new ListenerConfig(null, name, protocol.name(), BindAddress.parse(bind), 128, null, null, null, 20,
                false, limits.maxConnections(), limits.headerTimeout(), limits.keepaliveTimeout(), limits.bodyTimeout(),
                limits.sendTimeout(), limits.lingeringTime(), limits.lingeringTimeout(), true, null);
    }

    /** Where the listener accepts connections, as a client connects to it (the real port of a port 0). */
    public SocketAddress address() {
        return listener.config().bind() instanceof BindAddress.Unix u ? UnixDomainSocketAddress.of(u.path())
                : listener.localAddress();
    }

    /** The listener's name, as its log lines give it. */
    public String name() {
        return listener.name();
    }

    /** Stops accepting and closes every connection. */
    @Override
    public void close() {
        listener.close();
    }
}
