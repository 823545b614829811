package io.gatehouse.core.pool;

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
}
