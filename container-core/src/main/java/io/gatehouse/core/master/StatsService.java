package io.gatehouse.core.master;

import io.gatehouse.config.BindAddress;
import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.core.exchange.ExchangeLog;
import io.gatehouse.core.pool.WorkerPool;
import io.gatehouse.core.stats.PoolMeters;
import io.gatehouse.core.stats.RequestMeters;
import io.gatehouse.core.stats.ServerStatus;
import io.gatehouse.core.stats.StatsServer;
import io.gatehouse.spi.exchange.Exchange;
import io.gatehouse.spi.runtime.Transport;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Logger;

/** {@code stats.bind}: the {@link StatsServer}, and the request and pool meters it serves. */
final class StatsService extends MasterService<BindAddress> implements ExchangeLog {
    private static final Logger LOG = Logger.getLogger(StatsService.class.getName());

    private final Transport transport;
    private final Supplier<ServerStatus> status;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RequestMeters requestMeters = new RequestMeters(registry);
    private final Map<String, PoolMeters> poolMeters = new HashMap<>();
    private volatile StatsServer server;

    StatsService(Transport transport, Supplier<ServerStatus> status) {
        super("stats.bind");
        this.transport = transport;
        this.status = status;
    }

    @Override
    BindAddress section(GatehouseConfig config) {
        return config.stats().bind();
    }

    @Override
    void replace(BindAddress before, BindAddress next) throws IOException {
        // The old server goes first: the new bind may take the same port on another host name.
        close();
        rebind(before, next, this::bind);
    }

    private void bind(BindAddress bind) throws IOException {
        if (bind != null) {
            server = StatsServer.bind(bind, transport, registry, status);
            LOG.info("stats server on " + server.localAddress() + " (/metrics: Prometheus, /: uWSGI JSON)");
        }
    }

    @Override
    public void finished(Exchange exchange, String listener, boolean ok) {
        if (server != null) {
            // the meters are only ever read through the stats server: without one, they would cost every request
            requestMeters.finished(exchange, listener, ok);
        }
    }

    /** Meters {@code pool} under its app's name, in place of an earlier pool of that name. */
    void meter(WorkerPool pool) {
        PoolMeters old = poolMeters.put(pool.appName(), new PoolMeters(registry, pool));
        if (old != null) {
            old.close();
        }
    }

    /** Drops the meters of a removed app. */
    void unmeter(String app) {
        PoolMeters m = poolMeters.remove(app);
        if (m != null) {
            m.close();
        }
    }

    @Override
    public void close() {
        StatsServer s = server;
        if (s != null) {
            s.close();
            server = null;
        }
    }
}
