package io.gatehouse.core.master;

import io.gatehouse.app.Headers;
import io.gatehouse.config.AppConfig;
import io.gatehouse.core.exchange.Exchange;
import io.gatehouse.core.pool.PoolSettings;
import io.gatehouse.core.pool.WorkerFactory;
import io.gatehouse.core.pool.WorkerPool;
import io.gatehouse.core.router.Dispatcher;
import io.gatehouse.core.router.Router;
import io.gatehouse.core.runtime.AppRuntime;
import io.gatehouse.core.runtime.RuntimeContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The apps of one config generation: a worker pool for each, and the router that leads to them. An app whose
 * runtime cannot prepare it (a missing class, a bad interpreter path) answers 503 and is logged once; the other
 * apps are unaffected.
 */
final class Deployment {
    private static final Logger LOG = Logger.getLogger(Deployment.class.getName());

    private final Map<String, WorkerPool> pools;
    private final Router router;

    private Deployment(Map<String, WorkerPool> pools, Router router) {
        this.pools = pools;
        this.router = router;
    }

    /** Prepares every app's runtime and pool and builds the router; pools are not started yet. */
    static Deployment prepare(List<ResolvedConfig.ResolvedApp> apps, RuntimeContext context) {
        Map<String, WorkerPool> pools = new LinkedHashMap<>();
        Router.Builder router = Router.builder();
        for (ResolvedConfig.ResolvedApp app : apps) {
            AppConfig config = app.config();
            Dispatcher target;
            try {
                WorkerPool pool = new WorkerPool(PoolSettings.of(config), factory(app.runtime(), config, app.options(),
                        context));
                pools.put(config.name(), pool);
                target = pool;
            } catch (Exception | LinkageError e) {
                LOG.log(Level.SEVERE, "app '" + config.name() + "' could not be loaded; it answers 503 until the next "
                        + "reload: " + e.getMessage(), e);
                target = new Unavailable(config.name());
            }
            router.mount(config.hosts(), config.mount(), target);
        }
        return new Deployment(pools, router.build());
    }

    @SuppressWarnings("unchecked")
    private static <O extends Record> WorkerFactory factory(AppRuntime<O> runtime, AppConfig config, Record options,
            RuntimeContext context) throws Exception {
        return runtime.prepare(config, (O) options, context);
    }

    /** Spawns every pool's workers. */
    void start() {
        pools.values().forEach(WorkerPool::start);
    }

    /** The router leading to this generation's pools. */
    Router router() {
        return router;
    }

    /** The pools by app name. */
    Map<String, WorkerPool> pools() {
        return pools;
    }

    /** Stands in for an app that could not be loaded. */
    private record Unavailable(String appName) implements Dispatcher {
        @Override
        public void dispatch(Exchange exchange) {
            exchange.response().error(503, new Headers().add("Retry-After", "5"));
        }
    }
}
