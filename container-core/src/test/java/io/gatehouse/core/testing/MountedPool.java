package io.gatehouse.core.testing;

import io.gatehouse.config.AppConfig;
import io.gatehouse.core.pool.PoolOutcome;
import io.gatehouse.core.pool.PoolSettings;
import io.gatehouse.core.pool.WorkerPool;
import io.gatehouse.core.router.Router;
import io.gatehouse.spi.exchange.Exchange;
import io.gatehouse.spi.runtime.WorkerFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One app's worker pool, started and mounted at "/" by a router, as the master builds them: what a listener test
 * serves through when it needs a real runtime behind the protocol. Closing it kills the workers.
 */
public final class MountedPool implements AutoCloseable {
    private final WorkerPool pool;
    private final Router router;

    private MountedPool(WorkerPool pool) {
        this.pool = pool;
        this.router = Router.builder().mount(List.of(), "/", pool).build();
    }

    /** Starts {@code app}'s pool of {@code workers}, waiting up to 10 s for it to be ready. */
    public static MountedPool start(AppConfig app, WorkerFactory workers) throws Exception {
        WorkerPool pool = new WorkerPool(PoolSettings.of(app), workers);
        PoolOutcome started = pool.start().get(10, TimeUnit.SECONDS);
        if (!started.ok()) {
            pool.kill();
            throw new IllegalStateException("app " + app.name() + " did not become ready: " + started.detail());
        }
        return new MountedPool(pool);
    }

    /** The router, as the app of a listener. */
    public Consumer<Exchange> routing() {
        return router::route;
    }

    @Override
    public void close() {
        pool.kill();
    }
}
