package io.gatehouse.core.master;

import io.gatehouse.config.ReloadMode;
import io.gatehouse.core.listener.Listener;
import io.gatehouse.core.master.ReloadPlan.Change;
import io.gatehouse.core.master.ResolvedConfig.ResolvedApp;
import io.gatehouse.core.pool.PoolOutcome;
import io.gatehouse.core.pool.PoolSettings;
import io.gatehouse.core.pool.WorkerPool;
import io.gatehouse.spi.runtime.RuntimeContext;
import io.gatehouse.spi.runtime.WorkerFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Logger;

/**
 * A reload in progress. It begins by binding the sockets the new config adds (a failure refuses the reload before
 * anything else changes), starting the pools of added apps and the new workers of replaced ones, and retuning
 * pools in place. The master's loop polls it; once every new pool is ready (or has failed), {@link #commit}
 * swaps in the new router, retires removed listeners and drains removed apps. An app whose new workers failed to
 * start keeps its previous config and workers.
 */
final class Reload {
    private static final Logger LOG = Logger.getLogger(Reload.class.getName());

    /** Thrown by {@link #begin} when nothing could change. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    final ResolvedConfig next;
    final ReloadPlan plan;
    private final AppSet running;
    private final Map<String, Listener> bound;
    private final RuntimeContext context;
    private final Map<String, AppSet.Mounted> started = new LinkedHashMap<>();
    private final Map<String, CompletableFuture<PoolOutcome>> pending = new LinkedHashMap<>();
    private final List<String> failures = new ArrayList<>();

    private Reload(ResolvedConfig next, ReloadPlan plan, AppSet running, Map<String, Listener> bound,
            RuntimeContext context) {
        this.next = next;
        this.plan = plan;
        this.running = running;
        this.bound = bound;
        this.context = context;
    }

    /** Works out the plan against what runs and starts it; {@code force} names apps to replace anyway, with why. */
    static Reload begin(ResolvedConfig next, AppSet running, ListenerSet listeners, Map<String, String> force,
            RuntimeContext context) throws Refused {
        ReloadPlan plan = ReloadPlan.between(running.configs(), listeners.configs(), next, force);
        LOG.info("reload: " + plan.summary());
        plan.notes().forEach(LOG::warning);
        Map<String, Listener> bound;
        try {
            bound = listeners.bindNew(plan.listenersAdded());
        } catch (IOException e) {
            throw new Refused(e.getMessage());
        }
        DirectPlan direct = new DirectPlan(next, key -> bound.containsKey(key) ? bound.get(key)
                : listeners.bySocket(key), context.transport(), context.runDir());
        Reload r = new Reload(next, plan, running, bound, context.withDirect(direct));
        for (ResolvedApp app : plan.added()) {
            r.startNew(app);
        }
        for (Change<ResolvedApp> c : plan.replaced()) {
            r.replace(c.after(), chain(c.after(), next));
        }
        for (Change<ResolvedApp> c : plan.retuned()) {
            WorkerPool pool = running.get(c.after().config().name()).pool();
            if (pool != null) {
                pool.retune(PoolSettings.of(c.after().config()));
            }
            if (!Objects.equals(c.before().config().cgroup(), c.after().config().cgroup())) {
                r.limit(c.after());
            }
        }
        return r;
    }

    /** Writes {@code app}'s cgroup limits to its cgroup, where its processes already are. */
    private void limit(ResolvedApp app) {
        try {
            context.cgroups().place(app.config());
        } catch (IOException e) {
            failures.add("app '" + app.config().name() + "': its cgroup limits could not be written: "
                    + e.getMessage());
        }
    }

    /** Whether {@code app}'s workers are replaced one at a time: its own {@code reload}, else the master's. */
    static boolean chain(ResolvedApp app, ResolvedConfig config) {
        ReloadMode mode = app.config().reload();
        return (mode != null ? mode : config.config().master().reload()) == ReloadMode.CHAIN;
    }

    private void startNew(ResolvedApp app) {
        AppSet.Mounted m = AppSet.prepare(app, context);
        started.put(app.config().name(), m);
        if (m.pool() == null) {
            failures.add("app '" + app.config().name() + "' could not be prepared (see the log); it answers 503");
        } else {
            pending.put(app.config().name(), m.pool().start());
        }
    }

    private void replace(ResolvedApp app, boolean chain) {
        String name = app.config().name();
        WorkerPool pool = running.get(name).pool();
        if (pool == null) {
            startNew(app);
            return;
        }
        WorkerFactory factory;
        try {
            factory = AppSet.factory(app, context);
        } catch (Exception | LinkageError e) {
            failures.add("app '" + name + "' could not be prepared: " + e.getMessage()
                    + "; its previous workers keep serving");
            return;
        }
        pending.put(name, pool.replace(PoolSettings.of(app.config()), factory, chain));
    }

    /** The pools of apps this reload adds (ticked by the master while it waits for them). */
    List<WorkerPool> newPools() {
        return started.values().stream().map(AppSet.Mounted::pool).filter(p -> p != null).toList();
    }

    boolean done() {
        return pending.values().stream().allMatch(CompletableFuture::isDone);
    }

    /** The TERM or INT that ends the server arrived first: stop what this reload started. */
    void abort() {
        bound.values().forEach(Listener::close);
        for (AppSet.Mounted m : started.values()) {
            if (m.pool() != null) {
                m.pool().kill();
            }
        }
    }

    /** The app set after the reload, and the apps removed from service (their pools to drain). */
    record Result(AppSet apps, ListenerSet listeners, List<AppSet.Mounted> removed, ReloadReport report) {
    }

    Result commit(ListenerSet listeners) {
        List<AppSet.Mounted> kept = new ArrayList<>();
        for (ResolvedApp app : next.apps()) {
            String name = app.config().name();
            AppSet.Mounted fresh = started.get(name);
            PoolOutcome outcome = pending.containsKey(name) ? pending.get(name).join() : null;
            if (outcome != null && !outcome.ok()) {
                failures.add("app '" + name + "': " + outcome.detail());
            }
            if (fresh != null) {
                kept.add(fresh);
            } else if (outcome != null && !outcome.ok() || replacedButUnprepared(name)) {
                AppSet.Mounted before = running.get(name);
                kept.add(new AppSet.Mounted(before.app(), before.pool(), before.dispatcher(), app.config()));
                if (!Objects.equals(before.app().config().cgroup(), app.config().cgroup())) {
                    limit(before.app()); // the workers that serve on keep the limits they had
                }
            } else {
                AppSet.Mounted before = running.get(name);
                kept.add(new AppSet.Mounted(app, before.pool(), before.dispatcher()));
            }
        }
        List<AppSet.Mounted> removed = plan.removed().stream().map(running::get).toList();
        ListenerSet nextListeners = listeners.apply(plan, bound, next.listeners());
        ReloadReport report = new ReloadReport(failures.isEmpty(), false, plan.summary(), List.copyOf(failures),
                outcomes());
        return new Result(new AppSet(kept), nextListeners, removed, report);
    }

    /** What happened to each app, in the order of the new config, then the removed ones. */
    private List<ReloadReport.AppOutcome> outcomes() {
        Map<String, ReloadReport.AppOutcome> out = new LinkedHashMap<>();
        next.apps().forEach(a -> out.put(a.config().name(), outcome(a.config().name(), "unchanged", "")));
        plan.rerouted().forEach(n -> out.put(n, outcome(n, "rerouted", "mount or hosts changed")));
        plan.retuned().forEach(c -> out.put(name(c), outcome(name(c), "retuned", c.what())));
        plan.replaced().forEach(c -> out.put(name(c), outcome(name(c), "replaced", c.what())));
        plan.added().forEach(a -> out.put(a.config().name(), outcome(a.config().name(), "added", "")));
        plan.removed().forEach(n -> out.put(n, outcome(n, "removed", "drained, then stopped")));
        return List.copyOf(out.values());
    }

    private ReloadReport.AppOutcome outcome(String name, String action, String what) {
        if (replacedButUnprepared(name)) {
            return new ReloadReport.AppOutcome(name, "failed", what + "; could not be prepared (see the log), its "
                    + "previous workers serve on");
        }
        AppSet.Mounted fresh = started.get(name);
        if (fresh != null && fresh.pool() == null) {
            return new ReloadReport.AppOutcome(name, "failed", "could not be prepared (see the log); it answers 503");
        }
        CompletableFuture<PoolOutcome> f = pending.get(name);
        if (f == null) {
            return new ReloadReport.AppOutcome(name, action, what);
        }
        PoolOutcome o = f.join();
        String detail = (what.isEmpty() ? "" : what + "; ") + o.detail();
        if (!o.ok()) {
            detail += action.equals("replaced") ? "; its previous workers serve on" : "; it answers 503 meanwhile";
        }
        return new ReloadReport.AppOutcome(name, o.ok() ? action : "failed", detail);
    }

    private static String name(Change<ResolvedApp> c) {
        return c.after().config().name();
    }

    private boolean replacedButUnprepared(String name) {
        return plan.replaced().stream().anyMatch(c -> c.after().config().name().equals(name))
                && !pending.containsKey(name) && !started.containsKey(name);
    }
}
