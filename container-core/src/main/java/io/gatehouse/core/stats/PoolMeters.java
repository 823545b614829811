package io.gatehouse.core.stats;

import io.gatehouse.core.pool.PoolStatus;
import io.gatehouse.core.pool.WorkerPool;
import io.gatehouse.core.pool.WorkerStatus;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * The meters of one app's pool: queue depth, workers by state (busy, idle, starting, stopping), and its counters
 * (respawns, harakiri kills, rejections, recycles, failed starts, requests served on the direct path). Removed when
 * the app leaves service.
 */
public final class PoolMeters implements AutoCloseable {
    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();

    /** Registers the meters of {@code pool}. */
    public PoolMeters(MeterRegistry registry, WorkerPool pool) {
        this.registry = registry;
        String app = pool.appName();
        meters.add(Gauge.builder("gatehouse.queue.depth", pool, WorkerPool::queued)
                .description("Requests waiting for a worker").tag("app", app).register(registry));
        for (String state : new String[] {"busy", "idle", "starting", "stopping"}) {
            meters.add(Gauge.builder("gatehouse.workers", pool, p -> count(p.status(), state))
                    .description("Workers by state").tags("app", app, "state", state).register(registry));
        }
        counter("gatehouse.worker.respawns", "Workers that died and were replaced", pool, s -> s.respawns);
        counter("gatehouse.harakiri", "Requests ended by harakiri", pool, s -> s.harakiris);
        counter("gatehouse.rejected", "Requests answered 503 (queue full or app crashing)", pool, s -> s.rejected);
        counter("gatehouse.worker.recycles", "Workers recycled (max-requests, reload-on-rss)", pool, s -> s.recycles);
        counter("gatehouse.worker.failed.starts", "Workers that failed to start", pool, s -> s.failedStarts);
        meters.add(FunctionCounter.builder("gatehouse.requests.direct", pool, WorkerPool::servedAlone)
                .description("Requests the app's workers accepted and answered themselves (the direct path)")
                .tag("app", app).register(registry));
    }

    private void counter(String name, String help, WorkerPool pool,
            Function<io.gatehouse.core.pool.PoolStats, LongAdder> field) {
        meters.add(FunctionCounter.builder(name, pool, p -> field.apply(p.stats()).sum()).description(help)
                .tag("app", pool.appName()).register(registry));
    }

    static double count(PoolStatus status, String state) {
        int n = 0;
        for (WorkerStatus w : status.workers()) {
            String s = w.state();
            boolean match = switch (state) {
                case "busy" -> s.equals("ready") && w.busy() > 0 || s.equals("retiring") && w.busy() > 0;
                case "idle" -> s.equals("ready") && w.busy() == 0;
                case "starting" -> s.equals("starting");
                default -> s.equals("stopping") || s.equals("retiring") && w.busy() == 0;
            };
            n += match ? 1 : 0;
        }
        return n;
    }

    @Override
    public void close() {
        meters.forEach(registry::remove);
    }
}
