package io.gatehouse.core.pool;

/**
 * A snapshot of one worker.
 *
 * @param id          number within its pool (1-based), unique among the pool's live workers
 * @param pid         OS process id, or -1 for in-process workers
 * @param generation  the pool generation it belongs to (1 at boot, one more per replacement of the workers)
 * @param state       starting, ready, retiring or stopping
 * @param busy        exchanges running now
 * @param capacity    exchanges it can run at once
 * @param served      exchanges it has served
 * @param rssBytes    resident memory, or -1
 * @param oldestNanos age of its oldest running exchange, or -1
 * @param ageNanos    time since it was spawned
 * @param busyNanos   time spent running the exchanges it finished
 */
public record WorkerStatus(int id, long pid, int generation, String state, int busy, int capacity, long served,
        long rssBytes, long oldestNanos, long ageNanos, long busyNanos) {
}
