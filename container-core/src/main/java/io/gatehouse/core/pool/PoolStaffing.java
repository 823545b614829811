package io.gatehouse.core.pool;

import io.gatehouse.app.Headers;
import io.gatehouse.spi.exchange.Exchange;
import io.gatehouse.spi.runtime.Worker;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;

/**
 * Keeps a pool staffed, under the pool's lock: spawns workers up to the target (one probe at a time while the app
 * keeps crashing, within the rollout's surge during a reload), stops workers, records failed starts with their
 * backoff, and closes a generation's factory once its last worker has gone. Like {@link PoolChecks}, it only
 * decides; calls into workers go to the pool's actions.
 */
final class PoolStaffing {
    private final WorkerPool pool;

    PoolStaffing(WorkerPool pool) {
        this.pool = pool;
    }

    /** New pool settings for the running workers: the surplus (idle ones first) retires, none restarts. */
    void retune(PoolSettings next) {
        pool.settings = next;
        pool.target = next.workers();
        List<WorkerSlot> serving = new ArrayList<>();
        for (WorkerSlot s : pool.slots) {
            if (s.generation == pool.current && s.serving()) {
                serving.add(s);
            }
        }
        serving.sort((a, b) -> Integer.compare(b.running.size() == 0 ? b.id() : -1, a.running.size() == 0
                ? a.id() : -1));
        for (int i = 0; i < serving.size() - pool.target; i++) {
            serving.get(i).retiring = true;
        }
    }

    void failedStart(WorkerSlot s, String reason, long now, PoolActions actions) {
        pool.stats.failedStarts.increment();
        if (pool.rollout != null && !pool.rollout.reverse && s.generation == pool.rollout.to) {
            if (servingGeneration(pool.rollout.from)) {
                pool.rollout.abandon(pool, reason, actions);
                return;
            }
            pool.rollout.giveUp(pool, reason, now, actions);
        }
        if (s.generation != pool.current) {
            return;
        }
        String where = "app '" + pool.appName() + "' worker " + s.id() + WorkerPool.pidText(s.worker);
        if (!pool.backoff.failed(now, reason)) {
            WorkerPool.LOG.fine(() -> where + " failed to start too (" + reason + ")");
        } else if (pool.backoff.failures() == 1) {
            WorkerPool.LOG.severe(where + " failed to start (" + reason + "); retrying in "
                    + seconds(pool.backoff.untilNextAttempt(now)));
        } else {
            WorkerPool.LOG.warning("app '" + pool.appName() + "' keeps crashing: " + pool.backoff.failures()
                    + " failed starts, next attempt in " + seconds(pool.backoff.untilNextAttempt(now))
                    + " (" + reason + ")");
        }
        if (pool.started != null) {
            CompletableFuture<PoolOutcome> f = pool.started;
            pool.started = null;
            actions.add(() -> f.complete(new PoolOutcome(false, "worker failed to start: " + reason)));
        }
    }

    void ensureWorkerCount(long now, PoolActions actions) {
        int serving = 0;
        int starting = 0;
        for (WorkerSlot s : pool.slots) {
            if (s.generation == pool.current && s.serving()) {
                serving++;
                starting += s.state == WorkerSlot.State.STARTING ? 1 : 0;
            }
        }
        int want = pool.target - serving;
        if (want <= 0) {
            return;
        }
        if (pool.backoff.failures() > 0) {
            // While the app fails to load, one worker probes at a time after the pool.backoff.
            if (starting > 0 || !pool.backoff.mayAttempt(now)) {
                return;
            }
            want = 1;
        }
        if (pool.rollout != null) {
            want = Math.min(want, pool.rollout.surge(pool.target) - starting);
        }
        for (int i = 0; i < want; i++) {
            spawnWorker(now, actions);
        }
    }

    void spawnWorker(long now, PoolActions actions) {
        Worker w;
        try {
            w = pool.current.factory.create(freeId(), pool);
        } catch (RuntimeException | LinkageError e) {
            WorkerPool.LOG.log(Level.SEVERE, "app '" + pool.appName() + "': cannot create a worker", e);
            pool.backoff.failed(now, e.toString());
            pool.stats.failedStarts.increment();
            return;
        }
        WorkerSlot s = new WorkerSlot(w, pool.current, now);
        pool.slots.add(s);
        pool.byWorker.put(w, s);
        pool.current.live++;
        actions.add(w::start);
    }

    int freeId() {
        for (int id = 1; ; id++) {
            boolean taken = false;
            for (WorkerSlot s : pool.slots) {
                taken |= s.id() == id;
            }
            if (!taken) {
                return id;
            }
        }
    }

    void beginStop(WorkerSlot s, long now, PoolActions actions) {
        boolean booting = s.state == WorkerSlot.State.STARTING;
        s.state = WorkerSlot.State.STOPPING;
        s.stopRequestedNanos = now;
        actions.add(booting ? s.worker::kill : s.worker::stop);
    }

    void completeStart(PoolActions actions) {
        if (pool.started == null) {
            return;
        }
        int ready = 0;
        for (WorkerSlot s : pool.slots) {
            ready += s.generation == pool.current && s.state == WorkerSlot.State.READY ? 1 : 0;
        }
        if (ready >= pool.target) {
            CompletableFuture<PoolOutcome> f = pool.started;
            pool.started = null;
            String detail = ready + " worker(s) ready";
            actions.add(() -> f.complete(new PoolOutcome(true, detail)));
        }
    }

    void closeIfDone(Generation g, PoolActions actions) {
        Rollout r = pool.rollout;
        boolean needed = g == pool.current || (r != null && (r.from == g || r.to == g));
        if (g.live == 0 && !needed && !g.closed) {
            g.closed = true;
            actions.add(g.factory::close);
        }
    }

    boolean servingGeneration(Generation g) {
        for (WorkerSlot s : pool.slots) {
            if (s.generation == g && s.state == WorkerSlot.State.READY) {
                return true;
            }
        }
        return false;
    }

    /**
     * The exchanges a dead worker had: 502 for those it may have started; those it held unstarted go
     * back to the front of the queue, in order, for the other workers (or its replacement) to run.
     */
    void settleOrphans(WorkerSlot dead, PoolActions actions) {
        List<Exchange> unbegun = new ArrayList<>();
        for (Map.Entry<Exchange, Long> e : dead.running.entrySet()) {
            Exchange orphan = e.getKey();
            if (!pool.stopping && e.getValue() == WorkerSlot.HELD) {
                unbegun.add(orphan);
            } else {
                actions.add(() -> orphan.response().error(502, null));
            }
        }
        if (unbegun.isEmpty()) {
            return;
        }
        for (int i = unbegun.size() - 1; i >= 0; i--) {
            pool.queue.addFirst(unbegun.get(i));
        }
        for (WorkerSlot s : pool.slots) {
            if (s != dead) {
                pool.takeQueued(s, actions);
            }
        }
    }

    /** Answers every queued exchange 503: the app has no worker to serve them and is backing off. */
    void refuseQueued(PoolActions actions) {
        List<Exchange> refused = new ArrayList<>(pool.queue);
        pool.queue.clear();
        for (Exchange e : refused) {
            pool.stats.rejected.increment();
            actions.add(() -> e.response().error(503, new Headers().add("Retry-After", "1")));
        }
    }

    /** A duration as whole seconds for log lines, at least 1. */
    private static String seconds(long nanos) {
        return Math.max(1, (nanos + 500_000_000) / 1_000_000_000) + " s";
    }
}
