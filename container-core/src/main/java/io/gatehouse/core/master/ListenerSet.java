package io.gatehouse.core.master;

import io.gatehouse.core.exchange.ExchangeLog;
import io.gatehouse.core.exchange.ListenerContext;
import io.gatehouse.core.exchange.Routing;
import io.gatehouse.core.listener.InheritedSockets;
import io.gatehouse.core.listener.Listener;
import io.gatehouse.core.listener.OpenFileLimit;
import io.gatehouse.core.master.ResolvedConfig.ResolvedListener;
import io.gatehouse.core.proxy.ForwardedHeaders;
import io.gatehouse.spi.protocol.ConnectionLimits;
import io.gatehouse.spi.protocol.Protocol;
import io.gatehouse.spi.runtime.Transport;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * The master's listeners by the socket they bind. A reload binds the sockets it adds before anything else changes
 * (a bind that fails refuses the reload), reconfigures changed ones in place, and retires removed ones: they stop
 * accepting at once and close once their last connection has finished its response.
 */
final class ListenerSet {
    private static final Logger LOG = Logger.getLogger(ListenerSet.class.getName());

    /** What every listener's context shares. */
    record Shared(Transport transport, InheritedSockets inherited, Supplier<Routing> routing, ExchangeLog log,
            BooleanSupplier draining) {
    }

    private final Shared shared;
    private final Map<String, Bound> bySocket;
    private final List<Listener> retired;

    private record Bound(ResolvedListener resolved, Listener listener) {
    }

    private ListenerSet(Shared shared, Map<String, Bound> bySocket, List<Listener> retired) {
        this.shared = shared;
        this.bySocket = bySocket;
        this.retired = retired;
    }

    /** Binds every listener; if one fails, those already bound are closed and the error is thrown. */
    static ListenerSet bind(List<ResolvedListener> configs, Shared shared) throws IOException {
        ListenerSet empty = new ListenerSet(shared, new LinkedHashMap<>(), new ArrayList<>());
        Map<String, Listener> bound = empty.bindNew(configs);
        Map<String, Bound> bySocket = new LinkedHashMap<>();
        for (ResolvedListener l : configs) {
            String key = ReloadPlan.bindKey(l.config().bind());
            bySocket.put(key, new Bound(l, bound.get(key)));
        }
        checkOpenFiles(configs);
        return new ListenerSet(shared, bySocket, new ArrayList<>());
    }

    /** Binds the sockets a reload adds, by socket; all or none (those bound are closed if one fails). */
    Map<String, Listener> bindNew(List<ResolvedListener> configs) throws IOException {
        Map<String, Listener> bound = new LinkedHashMap<>();
        try {
            for (ResolvedListener l : configs) {
                Listener listener = new Listener(l.config(), protocol(l), l.options(), context(l));
                listener.bind(shared.transport(), shared.inherited());
                bound.put(ReloadPlan.bindKey(l.config().bind()), listener);
            }
        } catch (IOException | RuntimeException e) {
            bound.values().forEach(Listener::close);
            throw e;
        }
        return bound;
    }

    /** The set after a reload: {@code bound} added, changed ones reconfigured, removed ones retired. */
    ListenerSet apply(ReloadPlan plan, Map<String, Listener> bound, List<ResolvedListener> next) {
        Map<String, Bound> out = new LinkedHashMap<>();
        for (ResolvedListener l : next) {
            String key = ReloadPlan.bindKey(l.config().bind());
            Listener listener = bound.get(key);
            if (listener == null) {
                listener = bySocket.get(key).listener();
                if (!bySocket.get(key).resolved().equals(l)) {
                    reconfigure(listener, l);
                } else {
                    refresh(listener);
                }
            }
            out.put(key, new Bound(l, listener));
        }
        List<Listener> nowRetired = new ArrayList<>(retired);
        bySocket.forEach((key, b) -> {
            if (!out.containsKey(key)) {
                LOG.info("listener " + b.listener().name() + " on " + b.listener().localAddress() + " removed; it "
                        + "closes once its " + b.listener().connectionCount() + " connection(s) are done");
                b.listener().stopAccepting();
                b.listener().drainConnections();
                nowRetired.add(b.listener());
            }
        });
        checkOpenFiles(next);
        return new ListenerSet(shared, out, nowRetired);
    }

    private static void checkOpenFiles(List<ResolvedListener> configs) {
        OpenFileLimit.check(configs.stream().mapToLong(l -> l.config().maxConnections()).sum());
    }

    private void reconfigure(Listener listener, ResolvedListener l) {
        try {
            listener.reconfigure(l.config(), protocol(l), l.options(), context(l));
        } catch (IOException e) {
            LOG.log(Level.WARNING, "listener " + l.config().displayName() + ": cannot apply the new setup, the "
                    + "previous one stays: " + e.getMessage(), e);
        }
    }

    /** An unchanged listener re-reads what its protocol takes from files (TLS certificates); failing, keeps it. */
    private static void refresh(Listener listener) {
        try {
            listener.refresh();
        } catch (IOException e) {
            LOG.warning("listener " + listener.name() + ": " + e.getMessage() + "; its previous setup stays");
        }
    }

    @SuppressWarnings("unchecked")
    private static <O extends Record> Protocol<O> protocol(ResolvedListener l) {
        return (Protocol<O>) l.protocol();
    }

    @SuppressWarnings("unchecked")
    private <O extends Record> ListenerContext context(ResolvedListener l) {
        Protocol<O> protocol = (Protocol<O>) l.protocol();
        String name = l.config().displayName();
        return new ListenerContext(name, protocol.name(), protocol.multiplexed(), protocol.bodyBuffer((O) l.options()),
                ConnectionLimits.of(l.config(), protocol), shared.routing(), shared.log(), shared.draining())
                .behindProxies(l.config().proxyProtocol(),
                        ForwardedHeaders.of(name, l.config().trustedProxies(), l.config().maxForwardedHops()));
    }

    /** Closes retired listeners whose connections are all done. */
    void closeFinishedRetired() {
        retired.removeIf(l -> {
            if (l.connectionCount() == 0) {
                l.close();
                return true;
            }
            return false;
        });
    }

    /** The listener bound to the socket of {@code bindKey} ({@link ReloadPlan#bindKey}), or null. */
    Listener bySocket(String bindKey) {
        Bound b = bySocket.get(bindKey);
        return b == null ? null : b.listener();
    }

    List<Listener> all() {
        return bySocket.values().stream().map(Bound::listener).toList();
    }

    List<ResolvedListener> configs() {
        return bySocket.values().stream().map(Bound::resolved).toList();
    }

    String describe() {
        return all().stream().map(l -> l.name() + " on " + (l.localAddress() != null ? l.localAddress()
                : l.config().bind())).collect(Collectors.joining(", "));
    }

    int connectionCount() {
        return all().stream().mapToInt(Listener::connectionCount).sum()
                + retired.stream().mapToInt(Listener::connectionCount).sum();
    }

    void stopAccepting() {
        all().forEach(Listener::stopAccepting);
    }

    void drain() {
        all().forEach(Listener::drainConnections);
        retired.forEach(Listener::drainConnections);
    }

    void close() {
        all().forEach(Listener::close);
        retired.forEach(Listener::close);
    }
}
