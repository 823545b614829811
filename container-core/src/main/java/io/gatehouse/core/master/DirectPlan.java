package io.gatehouse.core.master;

import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.core.listener.Listener;
import io.gatehouse.core.master.ResolvedConfig.ResolvedApp;
import io.gatehouse.core.master.ResolvedConfig.ResolvedListener;
import io.gatehouse.spi.runtime.DirectListener;
import io.gatehouse.spi.runtime.Transport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Which listeners of a config lead to one app alone, so that its workers may accept their connections themselves
 * (the direct path, docs/performance.md). That holds when the config serves one app, for every host, without an
 * apps-dir that could add another, and the master need not see each request: no access log, no cheaper (which
 * grows the pool by the master's queue). The listener and protocol say the rest ({@link Listener#direct}); the
 * runtime decides whether its workers can (a WSGI app can).
 */
final class DirectPlan implements DirectListener.Finder {
    private static final Logger LOG = Logger.getLogger(DirectPlan.class.getName());
    private static final AtomicInteger HANDBACKS = new AtomicInteger();

    private final ResolvedConfig config;
    private final Function<String, Listener> listeners;
    private final Transport transport;
    private final Path runDir;

    /** The plan for {@code config}, whose listeners {@code listeners} finds by bind key once they are bound. */
    DirectPlan(ResolvedConfig config, Function<String, Listener> listeners, Transport transport, Path runDir) {
        this.config = config;
        this.listeners = listeners;
        this.transport = transport;
        this.runDir = runDir;
    }

    @Override
    public List<DirectListener> forApp(String app) {
        if (!leadsToOneApp(app)) {
            return List.of();
        }
        List<DirectListener> direct = new ArrayList<>();
        for (ResolvedListener l : config.listeners()) {
            Listener bound = listeners.apply(ReloadPlan.bindKey(l.config().bind()));
            if (bound == null) {
                continue;
            }
            try {
                DirectListener d = bound.direct(transport, runDir.resolve("handback" + HANDBACKS.incrementAndGet()
                        + ".sock"));
                if (d != null) {
                    direct.add(d);
                }
            } catch (IOException | RuntimeException e) {
                LOG.warning("[" + bound.name() + "] no direct path for app '" + app + "' (the master takes every "
                        + "connection): " + e.getMessage());
            }
        }
        return direct;
    }

    private boolean leadsToOneApp(String app) {
        GatehouseConfig c = config.config();
        if (c.appsDir() != null || c.logging().accessLog() != null || config.apps().size() != 1) {
            return false;
        }
        ResolvedApp only = config.apps().get(0);
        return only.config().name().equals(app) && only.config().hosts().isEmpty() && only.config().cheaper() == null;
    }
}
