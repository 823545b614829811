package io.gatehouse.core.pool;

import java.util.ArrayList;
import java.util.List;

/**
 * A snapshot of one pool, for {@code gatehouse status} and the stats server.
 *
 * @param app           the app's name
 * @param state         starting, ready, reloading, crashing or stopping
 * @param generation    the generation new workers come from
 * @param target        the worker count the pool is keeping (moves with cheaper)
 * @param queued        exchanges waiting for a worker
 * @param failedStarts  consecutive failed starts (0 when the app boots)
 * @param nextAttemptNanos time until the next start attempt while crashing, else 0
 * @param lastFailure   the last failed start's reason, or null
 * @param workers       each live worker
 */
public record PoolStatus(String app, String state, int generation, int target, int queued, int failedStarts,
        long nextAttemptNanos, String lastFailure, List<WorkerStatus> workers) {

    /** The snapshot of {@code pool}; called under its lock. */
    static PoolStatus of(WorkerPool pool, long now) {
        List<WorkerSlot> byId = new ArrayList<>(pool.slots);
        byId.sort((a, b) -> Integer.compare(a.id(), b.id()));
        List<WorkerStatus> workers = new ArrayList<>(byId.size());
        for (WorkerSlot s : byId) {
            long oldest = -1;
            for (long t : s.running.values()) {
                oldest = Math.max(oldest, now - t);
            }
            workers.add(new WorkerStatus(s.id(), s.worker.pid(), s.generation.number, s.stateName(),
                    s.running.size(), s.worker.capacity(), s.served, s.rssBytes, oldest, now - s.spawnedNanos,
                    s.busyNanos));
        }
        return new PoolStatus(pool.appName(), pool.stateName(), pool.current.number, pool.target, pool.queue.size(),
                pool.backoff.failures(), pool.backoff.untilNextAttempt(now), pool.backoff.lastFailure(),
                List.copyOf(workers));
    }
}
