package io.gatehouse.core.master;

import io.gatehouse.core.exchange.ExchangeLog;
import io.gatehouse.core.exchange.ListenerContext;
import io.gatehouse.core.exchange.Routing;
import io.gatehouse.core.listener.Listener;
import io.gatehouse.core.listener.Transport;
import io.gatehouse.core.protocol.Protocol;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** The master's listeners, bound together and stopped together. */
final class ListenerSet {
    private final List<Listener<?>> listeners;

    private ListenerSet(List<Listener<?>> listeners) {
        this.listeners = listeners;
    }

    /** Binds every listener; if one fails, those already bound are closed and the error is thrown. */
    static ListenerSet bind(List<ResolvedConfig.ResolvedListener> configs, Transport transport,
            Supplier<Routing> routing, ExchangeLog log, BooleanSupplier draining) throws IOException {
        List<Listener<?>> bound = new ArrayList<>();
        try {
            for (ResolvedConfig.ResolvedListener l : configs) {
                Listener<?> listener = create(l.protocol(), l, routing, log, draining);
                listener.bind(transport);
                bound.add(listener);
            }
        } catch (IOException | RuntimeException e) {
            bound.forEach(Listener::close);
            throw e;
        }
        return new ListenerSet(List.copyOf(bound));
    }

    @SuppressWarnings("unchecked")
    private static <O extends Record> Listener<O> create(Protocol<O> protocol, ResolvedConfig.ResolvedListener l,
            Supplier<Routing> routing, ExchangeLog log, BooleanSupplier draining) {
        O options = (O) l.options();
        Protocol.ConnectionLimits limits = protocol.limits(options);
        ListenerContext context = new ListenerContext(l.config().displayName(), protocol.name(),
                protocol.multiplexed(), limits.bodyBuffer(), limits.headerTimeout(), limits.idleTimeout(), routing,
                log, draining);
        return new Listener<>(l.config(), protocol, options, context);
    }

    List<Listener<?>> all() {
        return listeners;
    }

    String describe() {
        return listeners.stream().map(l -> l.name() + " on " + l.localAddress()).collect(Collectors.joining(", "));
    }

    int connectionCount() {
        return listeners.stream().mapToInt(Listener::connectionCount).sum();
    }

    void stopAccepting() {
        listeners.forEach(Listener::stopAccepting);
    }

    void drain() {
        listeners.forEach(Listener::drainConnections);
    }

    void close() {
        listeners.forEach(Listener::close);
    }
}
