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
 */
public record ServerStatus(long pid, String version, long startedEpochSeconds, long uptimeNanos, String config,
        String state, List<ListenerInfo> listeners, List<AppInfo> apps) {

    /** One listener: its name, protocol, bind as configured, bound address and open connections. */
    public record ListenerInfo(String name, String protocol, String bind, String address, int connections,
            int backlog) {
    }

    /** One app: where it is mounted, its pool (null when its runtime could not prepare it) and its counters. */
    public record AppInfo(String name, String runtime, String mount, List<String> hosts, PoolStatus pool,
            Counters counters) {
    }

    /** A pool's counters since it was created. */
    public record Counters(long served, long rejected, long harakiris, long respawns, long recycles,
            long failedStarts) {
    }
}
