package io.gatehouse.core.master;

import io.gatehouse.config.AppConfig;
import io.gatehouse.config.BindAddress;
import io.gatehouse.config.ListenerConfig;
import io.gatehouse.core.master.ResolvedConfig.ResolvedApp;
import io.gatehouse.core.master.ResolvedConfig.ResolvedListener;
import io.gatehouse.core.pool.PoolSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a reload changes, worked out before anything is touched. Apps are matched by name, listeners by the
 * socket they bind. An app is, against the one running:
 * <ul>
 *   <li><b>replaced</b> when its runtime, threads, runtime options or declaring file differ (what its workers are
 *       made from), or when the reload is to load new code ({@link ReloadScope#force}): new workers, then the old
 *       ones retire;</li>
 *   <li><b>retuned</b> when only its pool settings differ (workers, queue, harakiri, max-requests, reload-on-rss,
 *       reload-mercy, boot-timeout, cheaper) or its cgroup limits: applied to the running pool and written to its
 *       cgroup, workers kept;</li>
 *   <li><b>rerouted</b> when only its mount or hosts differ: the router changes, workers kept;</li>
 *   <li><b>unchanged</b> otherwise (where a key was written, line and column, does not count): untouched.</li>
 * </ul>
 * A listener on the same socket with another name, protocol, options, mode or owner is reconfigured in place
 * (connections accepted from then on use the new setup); a backlog change waits for a restart.
 *
 * @param added            apps to start
 * @param removed          apps to drain and stop
 * @param replaced         apps whose workers are replaced
 * @param retuned          apps whose pool settings change in place
 * @param rerouted         apps whose mount or hosts change (also set for replaced or retuned apps that move)
 * @param unchanged        apps left alone
 * @param listenersAdded   sockets to bind
 * @param listenersRemoved binds of sockets to close
 * @param listenersChanged listeners reconfigured in place
 * @param notes            what takes effect only at the next restart
 */
record ReloadPlan(List<ResolvedApp> added, List<String> removed, List<Change<ResolvedApp>> replaced,
        List<Change<ResolvedApp>> retuned, List<String> rerouted, List<String> unchanged,
        List<ResolvedListener> listenersAdded, List<String> listenersRemoved,
        List<Change<ResolvedListener>> listenersChanged, List<String> notes) {

    /** One item before and after, and what differs, for the log. */
    record Change<T>(T before, T after, String what) {
    }

    /**
     * The plan from the running apps and listeners to {@code next}; {@code force} names apps to replace anyway, each
     * with why.
     */
    static ReloadPlan between(Map<String, ResolvedApp> runningApps, List<ResolvedListener> runningListeners,
            ResolvedConfig next, Map<String, String> force) {
        List<ResolvedApp> added = new ArrayList<>();
        List<Change<ResolvedApp>> replaced = new ArrayList<>();
        List<Change<ResolvedApp>> retuned = new ArrayList<>();
        List<String> rerouted = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        Map<String, ResolvedApp> left = new LinkedHashMap<>(runningApps);
        for (ResolvedApp app : next.apps()) {
            String name = app.config().name();
            ResolvedApp before = left.remove(name);
            if (before == null) {
                added.add(app);
                continue;
            }
            String workerDiff = workerDiff(before, app);
            boolean moved = !routeKey(before.config()).equals(routeKey(app.config()));
            if (moved) {
                rerouted.add(name);
            }
            if (!workerDiff.isEmpty() || force.containsKey(name)) {
                replaced.add(new Change<>(before, app, workerDiff.isEmpty() ? force.get(name) : workerDiff));
            } else if (!PoolSettings.of(before.config()).equals(PoolSettings.of(app.config()))
                    || !Objects.equals(before.config().cgroup(), app.config().cgroup())) {
                retuned.add(new Change<>(before, app, poolDiff(before.config(), app.config())));
            } else if (!moved) {
                unchanged.add(name);
            }
        }
        List<Change<ResolvedListener>> changed = new ArrayList<>();
        List<ResolvedListener> listenersAdded = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Map<String, ResolvedListener> sockets = new LinkedHashMap<>();
        runningListeners.forEach(l -> sockets.put(bindKey(l.config().bind()), l));
        for (ResolvedListener l : next.listeners()) {
            ResolvedListener before = sockets.remove(bindKey(l.config().bind()));
            if (before == null) {
                listenersAdded.add(l);
                continue;
            }
            String diff = listenerDiff(before, l);
            if (!diff.isEmpty()) {
                changed.add(new Change<>(before, l, diff));
            }
            if (before.config().backlog() != l.config().backlog()) {
                notes.add("listener " + l.config().displayName() + ": backlog " + before.config().backlog() + " -> "
                        + l.config().backlog() + " takes effect at the next restart");
            }
        }
        List<String> listenersRemoved = sockets.values().stream().map(l -> l.config().bind().toString()).toList();
        return new ReloadPlan(List.copyOf(added), List.copyOf(left.keySet()), List.copyOf(replaced),
                List.copyOf(retuned), List.copyOf(rerouted), List.copyOf(unchanged), List.copyOf(listenersAdded),
                listenersRemoved, List.copyOf(changed), List.copyOf(notes));
    }

    /** The identity of a socket: a unix path made absolute, otherwise the bind as written. */
    static String bindKey(BindAddress bind) {
        if (bind instanceof BindAddress.Unix u) {
            return "unix:" + Path.of(u.path()).toAbsolutePath().normalize();
        }
        return bind.toString();
    }

    private static String workerDiff(ResolvedApp a, ResolvedApp b) {
        List<String> diff = new ArrayList<>();
        differs(diff, "runtime", a.config().runtime(), b.config().runtime());
        differs(diff, "threads", a.config().threads(), b.config().threads());
        // Who the processes run as and their limits are set when they start: new ones are needed.
        differs(diff, "user", a.config().user(), b.config().user());
        differs(diff, "group", a.config().group(), b.config().group());
        differs(diff, "limits", a.config().limits(), b.config().limits());
        if (!Objects.equals(a.options(), b.options())) {
            diff.add("runtime options");
        }
        Path fileA = a.config().origin() == null ? null : a.config().origin().file();
        Path fileB = b.config().origin() == null ? null : b.config().origin().file();
        if (!Objects.equals(fileA, fileB)) {
            diff.add("declared in " + fileB + " (relative paths resolve there)");
        }
        return String.join(", ", diff);
    }

    private static String poolDiff(AppConfig a, AppConfig b) {
        List<String> diff = new ArrayList<>();
        differs(diff, "workers", a.workers(), b.workers());
        differs(diff, "queue", a.queue(), b.queue());
        differs(diff, "harakiri", a.harakiri(), b.harakiri());
        differs(diff, "max-requests", a.maxRequests(), b.maxRequests());
        differs(diff, "reload-on-rss", a.reloadOnRss(), b.reloadOnRss());
        differs(diff, "reload-mercy", a.reloadMercy(), b.reloadMercy());
        differs(diff, "boot-timeout", a.bootTimeout(), b.bootTimeout());
        differs(diff, "cheaper", a.cheaper(), b.cheaper());
        differs(diff, "cgroup", a.cgroup(), b.cgroup());
        return String.join(", ", diff);
    }

    private static String listenerDiff(ResolvedListener a, ResolvedListener b) {
        List<String> diff = new ArrayList<>();
        ListenerConfig x = a.config();
        ListenerConfig y = b.config();
        differs(diff, "name", x.displayName(), y.displayName());
        differs(diff, "protocol", x.protocol(), y.protocol());
        differs(diff, "mode", x.mode(), y.mode());
        differs(diff, "owner", x.owner(), y.owner());
        if (x.protocol().equals(y.protocol()) && !Objects.equals(a.options(), b.options())) {
            diff.add("protocol options");
        }
        return String.join(", ", diff);
    }

    private static List<String> routeKey(AppConfig a) {
        List<String> key = new ArrayList<>(a.hosts());
        key.add(0, a.mount());
        return key;
    }

    private static void differs(List<String> diff, String key, Object a, Object b) {
        if (!Objects.equals(a, b)) {
            diff.add(key + " " + a + " -> " + b);
        }
    }

    /** Whether the reload changes nothing at all. */
    boolean empty() {
        return added.isEmpty() && removed.isEmpty() && replaced.isEmpty() && retuned.isEmpty() && rerouted.isEmpty()
                && listenersAdded.isEmpty() && listenersRemoved.isEmpty() && listenersChanged.isEmpty();
    }

    /** One line for the log: what is added, removed, replaced, retuned, rerouted and kept. */
    String summary() {
        List<String> parts = new ArrayList<>();
        part(parts, "apps added", added.stream().map(a -> a.config().name()).toList());
        part(parts, "removed", removed);
        part(parts, "replaced", replaced.stream().map(c -> c.after().config().name() + " (" + c.what() + ")").toList());
        part(parts, "retuned", retuned.stream().map(c -> c.after().config().name() + " (" + c.what() + ")").toList());
        part(parts, "rerouted", rerouted);
        part(parts, "unchanged", unchanged);
        part(parts, "listeners added", listenersAdded.stream().map(l -> l.config().displayName()).toList());
        part(parts, "listeners removed", listenersRemoved);
        part(parts, "listeners changed", listenersChanged.stream()
                .map(c -> c.after().config().displayName() + " (" + c.what() + ")").toList());
        return parts.isEmpty() ? "nothing changed" : String.join("; ", parts);
    }

    private static void part(List<String> parts, String label, List<String> items) {
        if (!items.isEmpty()) {
            parts.add(label + ": " + String.join(", ", items));
        }
    }
}
