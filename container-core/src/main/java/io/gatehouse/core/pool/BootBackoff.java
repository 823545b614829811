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

    /**
     * Records the failed start of {@code worker} of {@code app} at {@code now} and says so in the log: the first
     * failure severe, the next ones as "keeps crashing" with the next attempt, a failure of an attempt already
     * counted only at fine level.
     */
    void failed(long now, String reason, String app, String worker) {
        String where = "app '" + app + "' " + worker;
        if (!failed(now, reason)) {
            WorkerPool.LOG.fine(() -> where + " failed to start too (" + reason + ")");
        } else if (failures == 1) {
            WorkerPool.LOG.severe(where + " failed to start (" + reason + "); retrying in "
                    + seconds(untilNextAttempt(now)));
        } else {
            WorkerPool.LOG.warning("app '" + app + "' keeps crashing: " + failures + " failed starts, next attempt in "
                    + seconds(untilNextAttempt(now)) + " (" + reason + ")");
        }
    }

    /** A worker of {@code app} became ready: the app loads again, which the log hears if it did not before. */
    void succeeded(String app) {
        if (failures > 0) {
            WorkerPool.LOG.info("app '" + app + "' starts again after " + failures + " failed start(s)");
        }
        failures = 0;
        nextAttemptNanos = 0;
        lastFailure = null;
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

    /** A duration as whole seconds for log lines, at least 1. */
    private static String seconds(long nanos) {
        return Math.max(1, (nanos + 500_000_000) / 1_000_000_000) + " s";
    }
}
