package io.gatehouse.core.master;

import io.gatehouse.core.listener.Listener;
import io.gatehouse.core.pool.PoolStats;
import io.gatehouse.core.stats.ServerStatus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Builds the {@link ServerStatus} of a master from its apps and listeners. */
final class StatusSnapshot {
    private StatusSnapshot() {
    }

    static ServerStatus of(AppSet apps, ListenerSet listeners, ResolvedConfig config, String state, long startEpoch,
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
                        m.route().hosts(), m.pool() == null ? null : m.pool().status(), c,
                        file(ResolvedConfig.fileOf(m.app().config().origin()))));
            }
        }
        List<ServerStatus.AppsFileInfo> files = new ArrayList<>();
        config.appsFiles().forEach((p, f) -> files.add(new ServerStatus.AppsFileInfo(file(p), f.refused(),
                config.declaredIn(p).apps().stream().map(a -> a.config().name()).toList(), f.errors())));
        return new ServerStatus(ProcessHandle.current().pid(), version(), startEpoch, uptimeNanos,
                config.file().toString(), state, ls, as, files);
    }

    private static String file(Path p) {
        return p == null ? "" : p.toAbsolutePath().normalize().toString();
    }

    private static String version() {
        String v = StatusSnapshot.class.getPackage().getImplementationVersion();
        return "gatehouse " + (v != null ? v : "development build");
    }
}
