package io.gatehouse.core.master;

import io.gatehouse.core.cgroup.MasterCgroups;
import io.gatehouse.core.exchange.Routing;
import io.gatehouse.core.pool.WorkerPool;
import io.gatehouse.core.stats.ServerStatus;
import io.gatehouse.spi.runtime.RuntimeContext;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the master serves: the config in force, the apps it mounts and the listeners leading to them. A reload
 * {@linkplain #install installs} the next ones; the apps it removed stop beside them until their workers are gone.
 */
final class Serving {
    private final RemovedApps removed;
    private final MasterCgroups cgroups;
    private volatile ResolvedConfig config;
    private volatile AppSet apps;
    private volatile ListenerSet listeners;

    /** Prepares the apps of {@code config} (each in its cgroup); {@link #bind} binds its listeners. */
    Serving(ResolvedConfig config, RuntimeContext context, MasterCgroups cgroups) {
        this.config = config;
        this.cgroups = cgroups;
        this.removed = new RemovedApps(cgroups);
        this.apps = new AppSet(config.apps().stream().map(a -> AppSet.prepare(a, context)).toList());
    }

    /** Binds the listeners of the config; {@code shared} routes through {@link #router}. */
    void bind(ListenerSet.Shared shared) throws IOException {
        listeners = ListenerSet.bind(config.listeners(), shared);
    }

    ResolvedConfig config() {
        return config;
    }

    AppSet apps() {
        return apps;
    }

    ListenerSet listeners() {
        return listeners;
    }

    /** The router of the apps in service now: a reload swaps it under the listeners. */
    Routing router() {
        return apps.router();
    }

    /** Puts what a reload to {@code next} made in service, and stops the apps it removed. */
    void install(Reload.Result result, ResolvedConfig next) {
        apps = result.apps();
        listeners = result.listeners();
        removed.stop(result.removed());
        config = next;
    }

    /** A tick step: each pool of an app in service runs its own checks (harakiri, heartbeats, staffing...). */
    void superviseApps() {
        apps.pools().forEach(WorkerPool::tick);
    }

    /** A tick step: the apps a reload removed are let go once their workers are gone, and then their cgroups. */
    void reapRemovedApps() {
        removed.reapStopped();
        cgroups.sweep(apps.apps().keySet());
    }

    /** A tick step: listeners a reload removed close once their last connection is done. */
    void closeRetiredListeners() {
        listeners.closeFinishedRetired();
    }

    /** True when no request is in flight: every pool idle and every connection closed. */
    boolean drained() {
        return apps.pools().stream().allMatch(WorkerPool::idle) && listeners.connectionCount() == 0;
    }

    /** Every pool, those of removed apps still stopping included. */
    List<WorkerPool> allPools() {
        List<WorkerPool> all = new ArrayList<>(apps.pools());
        all.addAll(removed.pools());
        return all;
    }

    /** What systemd's STATUS= says. */
    String statusLine() {
        return "serving " + apps.apps().size() + " app(s) on " + listeners.all().size() + " listener(s)";
    }

    ServerStatus status(String state, long startEpoch, long uptimeNanos) {
        return StatusSnapshot.of(apps, listeners, config, state, startEpoch, uptimeNanos);
    }

    /** Closes every listener, retired ones included. */
    void close() {
        if (listeners != null) {
            listeners.close();
        }
    }
}
