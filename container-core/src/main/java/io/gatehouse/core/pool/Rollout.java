package io.gatehouse.core.pool;

import io.gatehouse.spi.runtime.WorkerFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A replacement of a pool's workers by a new generation in progress: graceful (a whole new set ready before the
 * old one retires) or chain (one new worker ready, then one old one retired). A reverse rollout puts the previous
 * generation back after the new one failed to start. Guarded by the pool.
 */
final class Rollout {
    final Generation from;
    final Generation to;
    final PoolSettings previousSettings;
    final int previousTarget;
    final boolean chain;
    final boolean reverse;
    final CompletableFuture<PoolOutcome> result;

    Rollout(Generation from, Generation to, PoolSettings previousSettings, int previousTarget, boolean chain,
            boolean reverse, CompletableFuture<PoolOutcome> result) {
        this.from = from;
        this.to = to;
        this.previousSettings = previousSettings;
        this.previousTarget = previousTarget;
        this.chain = chain;
        this.reverse = reverse;
        this.result = result;
    }

    /** Starts replacing {@code pool}'s workers by a generation from {@code factory} (see WorkerPool.replace). */
    static void begin(WorkerPool pool, PoolSettings next, WorkerFactory factory, boolean chain,
            CompletableFuture<PoolOutcome> result, PoolActions actions) {
        if (pool.stopping) {
            actions.add(factory::close);
            result.complete(new PoolOutcome(false, "the app is stopping"));
        } else {
            if (pool.rollout != null) {
                pool.rollout.result.complete(new PoolOutcome(false, "superseded by a newer reload"));
            }
            Generation from = pool.current;
            pool.current = pool.newGeneration(factory);
            pool.rollout = new Rollout(from, pool.current, pool.settings, pool.target, chain, false, result);
            pool.settings = next;
            pool.target = next.workers();
            pool.manage(System.nanoTime(), actions);
        }
    }

    /** New workers booting at once: all of them (graceful) or one (chain). */
    int surge(int target) {
        return chain ? 1 : Math.max(1, target);
    }

    /** Old workers that may keep serving while {@code ready} new ones are ready. */
    int staleAllowed(int target, int ready, int stale) {
        if (chain) {
            return Math.max(0, target - ready);
        }
        return ready >= target ? 0 : stale;
    }

    /** Retires old workers as far as the ready new ones allow; completes once no old worker serves. */
    void step(WorkerPool pool, long now, PoolActions actions) {
        int ready = 0;
        List<WorkerSlot> stale = new ArrayList<>();
        for (WorkerSlot s : pool.slots) {
            if (s.generation == to && s.state == WorkerSlot.State.READY && !s.retiring) {
                ready++;
            } else if (s.generation != to && s.serving()) {
                stale.add(s);
            }
        }
        // Booting and idle old workers go first, then busy ones.
        stale.sort((a, b) -> Integer.compare(retireOrder(a), retireOrder(b)));
        int excess = stale.size() - staleAllowed(pool.target, ready, stale.size());
        for (int i = 0; i < excess; i++) {
            retire(pool, stale.get(i), now, actions);
        }
        if (excess >= stale.size() && ready >= pool.target) {
            pool.rollout = null;
            String detail = reverse ? "previous workers restored"
                    : "workers replaced by generation " + to.number + " (" + ready + " ready)";
            WorkerPool.LOG.info("app '" + pool.appName() + "': " + detail);
            actions.add(() -> result.complete(new PoolOutcome(true, detail)));
            pool.staffing.closeIfDone(from, actions);
        }
    }

    /** A new worker failed to start while the previous generation serves: put that one back. */
    void abandon(WorkerPool pool, String reason, PoolActions actions) {
        WorkerPool.LOG.severe("app '" + pool.appName() + "': reload abandoned, a new worker failed to start ("
                + reason + "); the previous workers keep serving");
        pool.settings = previousSettings;
        pool.target = previousTarget;
        pool.current = from;
        pool.rollout = new Rollout(to, from, previousSettings, previousTarget, chain, true, new CompletableFuture<>());
        actions.add(() -> result.complete(new PoolOutcome(false, "a new worker failed to start: " + reason
                + "; the previous workers keep serving")));
        pool.staffing.closeIfDone(to, actions);
    }

    /** A new worker failed to start and nothing of the previous generation serves: the new one stays, crashing. */
    void giveUp(WorkerPool pool, String reason, long now, PoolActions actions) {
        pool.rollout = null;
        for (WorkerSlot s : pool.slots) {
            if (s.generation != to && s.serving()) {
                retire(pool, s, now, actions);
            }
        }
        actions.add(() -> result.complete(new PoolOutcome(false, "a new worker failed to start: " + reason)));
        pool.staffing.closeIfDone(from, actions);
    }

    private static void retire(WorkerPool pool, WorkerSlot s, long now, PoolActions actions) {
        s.retiring = true;
        if (s.state == WorkerSlot.State.STARTING || s.running.isEmpty()) {
            pool.staffing.beginStop(s, now, actions);
        }
    }

    private static int retireOrder(WorkerSlot s) {
        return s.state == WorkerSlot.State.STARTING ? 0 : s.running.isEmpty() ? 1 : 2;
    }
}
