package io.gatehouse.core.pool;

/**
 * Failed starts in a row and when the next attempt may be made: 1 s after the first, doubling to at most 30 s,
 * so an app that cannot load is retried a bounded number of times (5 in its first 30 s) and never spins.
 * Guarded by the pool.
 */
final class BootBackoff {
    static final long FIRST_NANOS = 1_000_000_000L;
    static final long MAX_NANOS = 30_000_000_000L;

    private int failures;
    private long nextAttemptNanos;
    private String lastFailure;

    /**
     * Records a failed start at {@code now}; false when it belongs to an attempt already counted (workers started
     * together, such as a pool's first round, that fail together count as one attempt).
     */
    boolean failed(long now, String detail) {
        lastFailure = detail;
        if (failures > 0 && now < nextAttemptNanos) {
            return false;
        }
        failures++;
        nextAttemptNanos = now + Math.min(MAX_NANOS, FIRST_NANOS << Math.min(failures - 1, 20));
        return true;
    }

    /** A worker became ready: the app loads again. Returns how many failures came before. */
    int succeeded() {
        int before = failures;
        failures = 0;
        nextAttemptNanos = 0;
        lastFailure = null;
        return before;
    }

    int failures() {
        return failures;
    }

    boolean mayAttempt(long now) {
        return failures == 0 || now >= nextAttemptNanos;
    }

    long untilNextAttempt(long now) {
        return failures == 0 ? 0 : Math.max(0, nextAttemptNanos - now);
    }

    String lastFailure() {
        return lastFailure;
    }
}
