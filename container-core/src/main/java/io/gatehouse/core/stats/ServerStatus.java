package io.gatehouse.core.stats;

import io.gatehouse.core.pool.PoolStatus;
import java.util.List;

/**
 * A snapshot of the whole server, for {@code gatehouse status} and the stats server.
 *
 * @param pid        the master's pid
 * @param version    Gatehouse's version
 * @param startedEpochSeconds when the master started (Unix time)
 * @param uptimeNanos time since then
 * @param config     the config file
 * @param state      starting, ready, reloading or stopping
 * @param listeners  each listener
 * @param apps       each app in service
 * @param appsFiles  each file of the config's apps-dir, in sorted order
 */
public record ServerStatus(long pid, String version, long startedEpochSeconds, long uptimeNanos, String config,
        String state, List<ListenerInfo> listeners, List<AppInfo> apps, List<AppsFileInfo> appsFiles) {

    /** One listener: its name, protocol, bind as configured, bound address and open connections. */
    public record ListenerInfo(String name, String protocol, String bind, String address, int connections,
            int backlog) {
    }

    /**
     * One app: where it is mounted, its pool (null when its runtime could not prepare it), its counters, and the
     * config file that declares it.
     */
    public record AppInfo(String name, String runtime, String mount, List<String> hosts, PoolStatus pool,
            Counters counters, String file) {
    }

    /**
     * One apps-dir file: loaded, or refused with its errors (the apps of its previous version, if any, run on).
     *
     * @param apps the apps of it that run
     */
    public record AppsFileInfo(String file, boolean refused, List<String> apps, List<String> errors) {
    }

    /** A pool's counters since it was created. */
    public record Counters(long served, long rejected, long harakiris, long respawns, long recycles,
            long failedStarts) {
    }
}
