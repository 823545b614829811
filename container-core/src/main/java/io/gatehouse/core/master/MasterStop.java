package io.gatehouse.core.master;

import io.gatehouse.core.pool.WorkerPool;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The master on its way out: at once (SIGINT: the workers are killed), or draining (SIGTERM: no new connections,
 * in-flight requests finish) until nothing is in flight or shutdown-timeout has passed, then the workers stop.
 * Either way it ends by closing what the master runs.
 */
final class MasterStop {
    // The master's own lines keep its name ([Master] in the log), as operators and tests look for them.
    private static final Logger LOG = Logger.getLogger(Master.class.getName());

    private final Serving serving;
    private final Runnable shutdown;
    private final long deadline;
    private boolean done;

    private MasterStop(Serving serving, Runnable shutdown, long deadline) {
        this.serving = serving;
        this.shutdown = shutdown;
        this.deadline = deadline;
    }

    /** Kills every worker and closes everything now. */
    static MasterStop now(Serving serving, Runnable shutdown) {
        LOG.info("stopping now");
        serving.allPools().forEach(WorkerPool::kill);
        MasterStop stop = new MasterStop(serving, shutdown, System.nanoTime());
        stop.end();
        return stop;
    }

    /** Stops accepting and lets in-flight requests finish; {@link #stopOnceDrained} ends it. */
    static MasterStop draining(Duration timeout, Serving serving, Runnable shutdown) {
        LOG.info("SIGTERM: draining in-flight requests (shutdown-timeout " + timeout.toMillis() + " ms)");
        serving.listeners().stopAccepting();
        serving.listeners().drain();
        MasterStop stop = new MasterStop(serving, shutdown, System.nanoTime() + timeout.toNanos());
        stop.stopOnceDrained();
        return stop;
    }

    /** A tick step while draining: once nothing is in flight, or at shutdown-timeout, stops the workers and ends. */
    void stopOnceDrained() {
        if (done) {
            return;
        }
        boolean drained = serving.drained();
        if (!drained && System.nanoTime() < deadline) {
            return;
        }
        if (!drained) {
            LOG.warning("shutdown-timeout passed with requests still in flight; closing them");
        }
        stopPools();
        end();
        LOG.info("stopped");
    }

    /** True once the master has closed everything and its loop may return. */
    boolean done() {
        return done;
    }

    private void stopPools() {
        List<WorkerPool> all = serving.allPools();
        all.forEach(WorkerPool::stop);
        long exitDeadline = Math.max(deadline, System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
        for (WorkerPool pool : all) {
            try {
                if (!pool.awaitExit(exitDeadline)) {
                    pool.kill();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                pool.kill();
            }
        }
    }

    private void end() {
        shutdown.run();
        done = true;
    }
}
