package io.gatehouse.core.master;

import io.gatehouse.app.Headers;
import io.gatehouse.config.AppConfig;
import io.gatehouse.core.master.ResolvedConfig.ResolvedApp;
import io.gatehouse.core.pool.PoolOutcome;
import io.gatehouse.core.pool.PoolSettings;
import io.gatehouse.core.pool.WorkerPool;
import io.gatehouse.core.router.Dispatcher;
import io.gatehouse.core.router.Router;
import io.gatehouse.spi.exchange.Exchange;
import io.gatehouse.spi.runtime.AppRuntime;
import io.gatehouse.spi.runtime.RuntimeContext;
import io.gatehouse.spi.runtime.WorkerFactory;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The apps in service: each with the config it runs (which a reload compares against), its pool, and the router
 * leading to them. Immutable: a reload builds the next set, reusing the pools of apps it keeps.
 */
final class AppSet {
    private static final Logger LOG = Logger.getLogger(AppSet.class.getName());

    /**
     * An app in service: the config its workers run (what the next reload compares against), its pool (null when
     * its runtime could not prepare it: it answers 503), and the config whose mount and hosts route to it (the
     * newest, even when a failed reload left older workers serving).
     */
    record Mounted(ResolvedApp app, WorkerPool pool, Dispatcher dispatcher, AppConfig route) {
        Mounted(ResolvedApp app, WorkerPool pool, Dispatcher dispatcher) {
            this(app, pool, dispatcher, app.config());
        }

        String name() {
            return app.config().name();
        }
    }

    private final Map<String, Mounted> apps;
    private final Router router;

    AppSet(Collection<Mounted> mounted) {
        Map<String, Mounted> byName = new LinkedHashMap<>();
        Router.Builder r = Router.builder();
        for (Mounted m : mounted) {
            byName.put(m.name(), m);
            r.mount(m.route().hosts(), m.route().mount(), m.dispatcher());
        }
        this.apps = byName;
        this.router = r.build();
    }

    /** Prepares {@code app}'s runtime and makes its pool (not started); logs and mounts a 503 stand-in on failure. */
    static Mounted prepare(ResolvedApp app, RuntimeContext context) {
        try {
            WorkerPool pool = new WorkerPool(PoolSettings.of(app.config()), factory(app, context));
            return new Mounted(app, pool, pool);
        } catch (Exception | LinkageError e) {
            LOG.log(Level.SEVERE, "app '" + app.config().name() + "' could not be prepared; it answers 503 until a "
                    + "reload fixes it: " + e.getMessage(), e);
            return new Mounted(app, null, new Unavailable(app.config().name()));
        }
    }

    /** A new worker factory for {@code app}, from its runtime. */
    @SuppressWarnings("unchecked")
    static <O extends Record> WorkerFactory factory(ResolvedApp app, RuntimeContext context) throws Exception {
        return ((AppRuntime<O>) app.runtime()).prepare(app.config(), (O) app.options(), context);
    }

    Router router() {
        return router;
    }

    Map<String, Mounted> apps() {
        return apps;
    }

    Mounted get(String name) {
        return apps.get(name);
    }

    /** The running config of each app, by name, as a reload compares against it. */
    Map<String, ResolvedApp> configs() {
        Map<String, ResolvedApp> out = new LinkedHashMap<>();
        apps.forEach((name, m) -> out.put(name, m.app()));
        return out;
    }

    /** The pools of apps that have one. */
    List<WorkerPool> pools() {
        return apps.values().stream().map(Mounted::pool).filter(p -> p != null).toList();
    }

    /** The pools by app name. */
    Map<String, WorkerPool> poolsByName() {
        Map<String, WorkerPool> out = new LinkedHashMap<>();
        apps().forEach((name, m) -> {
            if (m.pool() != null) {
                out.put(name, m.pool());
            }
        });
        return out;
    }

    /**
     * Starts every pool and waits, up to the longest boot-timeout, for their workers to be ready; an app that is
     * not ready by then is logged and served as soon as it is, and the others serve meanwhile.
     */
    void startAll() {
        Map<String, CompletableFuture<PoolOutcome>> starts = new LinkedHashMap<>();
        poolsByName().forEach((name, pool) -> starts.put(name, pool.start()));
        long deadline = System.nanoTime() + pools().stream().mapToLong(p -> p.settings().bootTimeout().toNanos())
                .max().orElse(0) + TimeUnit.SECONDS.toNanos(1);
        starts.forEach((name, f) -> {
            try {
                PoolOutcome o = f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (!o.ok()) {
                    LOG.warning("app '" + name + "' is not serving yet: " + o.detail());
                }
            } catch (TimeoutException | ExecutionException e) {
                LOG.warning("app '" + name + "' is not ready yet; serving the others");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** Stands in for an app that could not be prepared. */
    private record Unavailable(String appName) implements Dispatcher {
        @Override
        public void dispatch(Exchange exchange) {
            exchange.response().error(503, new Headers().add("Retry-After", "5"));
        }
    }
}
