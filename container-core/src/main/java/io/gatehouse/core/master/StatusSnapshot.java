package io.gatehouse.core.master;

import io.gatehouse.core.listener.Listener;
import io.gatehouse.core.pool.PoolStats;
import io.gatehouse.core.stats.ServerStatus;
import java.util.ArrayList;
import java.util.List;

/** Builds the {@link ServerStatus} of a master from its apps and listeners. */
final class StatusSnapshot {
    private StatusSnapshot() {
    }

    static ServerStatus of(AppSet apps, ListenerSet listeners, String config, String state, long startEpoch,
            long uptimeNanos) {
        List<ServerStatus.ListenerInfo> ls = new ArrayList<>();
        if (listeners != null) {
            for (Listener l : listeners.all()) {
                ls.add(new ServerStatus.ListenerInfo(l.name(), l.config().protocol(), l.config().bind().toString(),
                        l.localAddress() == null ? l.config().bind().toString()
                                : l.localAddress().toString().replaceFirst("^/", ""), l.connectionCount(),
                        l.config().backlog()));
            }
        }
        List<ServerStatus.AppInfo> as = new ArrayList<>();
        if (apps != null) {
            for (AppSet.Mounted m : apps.apps().values()) {
                PoolStats s = m.pool() == null ? null : m.pool().stats();
                ServerStatus.Counters c = s == null ? new ServerStatus.Counters(0, 0, 0, 0, 0, 0)
                        : new ServerStatus.Counters(s.served.sum(), s.rejected.sum(), s.harakiris.sum(),
                                s.respawns.sum(), s.recycles.sum(), s.failedStarts.sum());
                as.add(new ServerStatus.AppInfo(m.name(), m.app().config().runtime(), m.route().mount(),
                        m.route().hosts(), m.pool() == null ? null : m.pool().status(), c));
            }
        }
        return new ServerStatus(ProcessHandle.current().pid(), version(), startEpoch, uptimeNanos, config, state,
                ls, as);
    }

    private static String version() {
        String v = StatusSnapshot.class.getPackage().getImplementationVersion();
        return "gatehouse " + (v != null ? v : "development build");
    }
}
