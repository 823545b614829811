package io.gatehouse.core.pool;

/**
 * A snapshot of one worker place.
 *
 * @param id          place number (1-based)
 * @param pid         OS process id, or -1
 * @param state       empty, starting, ready or stopping
 * @param busy        exchanges running now
 * @param served      exchanges served by the current worker
 * @param rssBytes    resident memory, or -1
 * @param oldestNanos age of the oldest running exchange, or -1
 * @param ageNanos    time since the worker was spawned
 */
public record WorkerStatus(int id, long pid, String state, int busy, long served, long rssBytes, long oldestNanos,
        long ageNanos) {
}
