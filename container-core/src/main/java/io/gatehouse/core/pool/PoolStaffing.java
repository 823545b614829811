package io.gatehouse.core.pool;

import io.gatehouse.spi.runtime.WorkerFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * How one pool is staffed: the settings in force, the worker count it keeps (its target), the generation new
 * workers come from, the {@link Rollout} that brings that generation in during a reload, the generations whose
 * factories are still open, and the start waiting for the first workers. It says how many workers to spawn, and
 * ends, abandons or gives up the rollout; the supervisor spawns and retires the workers. Guarded by the pool: only
 * the {@link PoolSupervisor} calls its writing methods, and they leave the calls they decide in the pool's actions.
 */
final class PoolStaffing {
    private final List<Generation> open = new ArrayList<>();
    private int lastGeneration;
    private volatile PoolSettings settings;
    private int target;
    private Generation current;
    private Rollout rollout;
    /** Completes once the first workers are ready (see WorkerPool.start), or null. */
    private CompletableFuture<PoolOutcome> starting;

    PoolStaffing(PoolSettings settings, WorkerFactory first) {
        this.settings = settings;
        this.target = settings.workers();
        this.current = nextGeneration(first);
    }

    /** The settings in force; readable without the pool's lock. */
    PoolSettings settings() {
        return settings;
    }

    String app() {
        return settings.app();
    }

    int target() {
        return target;
    }

    /** The generation new workers come from. */
    Generation current() {
        return current;
    }

    /** The rollout in progress, or null. */
    Rollout rollout() {
        return rollout;
    }

    /**
     * Workers of the current generation to spawn now to keep the target serving. While the app fails to load, one
     * probes at a time once the backoff allows; during a reload, at most the rollout's surge boot at once.
     */
    int toSpawn(Slots slots, BootBackoff backoff, long now) {
        int starting = slots.starting(current);
        int want = target - slots.serving(current);
        if (want <= 0) {
            return 0;
        }
        if (backoff.failures() > 0) {
            return starting > 0 || !backoff.mayAttempt(now) ? 0 : 1;
        }
        if (rollout != null) {
            want = Math.min(want, rollout.surge(target) - starting);
        }
        return Math.max(0, want);
    }

    /** The pool starts: {@code result} completes once the target's workers are ready, or with a failed start. */
    void start(CompletableFuture<PoolOutcome> result) {
        starting = result;
    }

    /** Completes the start once the current generation has the target's workers ready. */
    void completeStart(Slots slots, PoolActions actions) {
        if (starting != null && slots.ready(current) >= target) {
            complete(starting, new PoolOutcome(true, slots.ready(current) + " worker(s) ready"), actions);
            starting = null;
        }
    }

    /** A worker of the current generation failed to start: so does the pool, if it is starting. */
    void failStart(String reason, PoolActions actions) {
        complete(starting, new PoolOutcome(false, "worker failed to start: " + reason), actions);
        starting = null;
    }

    /** Starts replacing the current generation by one from {@code factory}, superseding a rollout in progress. */
    void reload(PoolSettings next, WorkerFactory factory, boolean chain, CompletableFuture<PoolOutcome> result) {
        if (rollout != null) {
            rollout.result().complete(new PoolOutcome(false, "superseded by a newer reload"));
        }
        Generation from = current;
        current = nextGeneration(factory);
        rollout = new Rollout(from, current, settings, target, chain, false, result);
        settings = next;
        target = next.workers();
    }

    /** New settings for the running workers (the pool retires the surplus). */
    void retune(PoolSettings next) {
        settings = next;
        target = next.workers();
    }

    /** cheaper's new worker count. */
    void resize(int workers) {
        target = workers;
    }

    /** The rollout's {@code step} left no old worker serving: it is over. */
    void finishRollout(Rollout.Step step, Slots slots, PoolActions actions) {
        Rollout done = endRollout();
        PoolOutcome outcome = done.done(step);
        WorkerPool.LOG.info("app '" + app() + "': " + outcome.detail());
        complete(done.result(), outcome, actions);
        closeIfDone(done.from(), slots, actions);
    }

    /**
     * A new worker failed to start while the previous generation serves: that generation, with its settings and
     * target, is current again and comes back in a reverse rollout.
     */
    void abandonRollout(String reason, Slots slots, PoolActions actions) {
        WorkerPool.LOG.severe("app '" + app() + "': reload abandoned, a new worker failed to start (" + reason
                + "); the previous workers keep serving");
        Rollout abandoned = rollout;
        settings = abandoned.previousSettings();
        target = abandoned.previousTarget();
        current = abandoned.from();
        rollout = abandoned.reversed();
        complete(abandoned.result(), new PoolOutcome(false, "a new worker failed to start: " + reason
                + "; the previous workers keep serving"), actions);
        closeIfDone(abandoned.to(), slots, actions);
    }

    /**
     * A new worker failed to start and nothing of the previous generation serves: the new generation stays,
     * crashing (the pool has retired the old workers still serving).
     */
    void giveUpRollout(String reason, Slots slots, PoolActions actions) {
        Rollout given = endRollout();
        complete(given.result(), new PoolOutcome(false, "a new worker failed to start: " + reason), actions);
        closeIfDone(given.from(), slots, actions);
    }

    /** The pool stops: the rollout in progress and the start, if any, end with {@code outcome}. */
    void stop(PoolOutcome outcome, PoolActions actions) {
        Rollout stopped = endRollout();
        complete(stopped == null ? null : stopped.result(), outcome, actions);
        complete(starting, outcome, actions);
        starting = null;
    }

    /** Closes {@code g}'s factory once its last worker has gone, unless new workers may still come from it. */
    void closeIfDone(Generation g, Slots slots, PoolActions actions) {
        boolean needed = g == current || (rollout != null && (rollout.from() == g || rollout.to() == g));
        if (slots.live(g) == 0 && !needed && g.close()) {
            actions.add(g.factory::close);
        }
    }

    /** Marks every generation closed; returns the factories to close once the pool's lock is released. */
    List<WorkerFactory> closeAll() {
        List<WorkerFactory> out = new ArrayList<>();
        for (Generation g : open) {
            if (g.close()) {
                out.add(g.factory);
            }
        }
        return out;
    }

    /** Completes {@code pending}, if any, with {@code outcome} once the pool's lock is released. */
    private static void complete(CompletableFuture<PoolOutcome> pending, PoolOutcome outcome, PoolActions actions) {
        if (pending != null) {
            actions.add(() -> pending.complete(outcome));
        }
    }

    private Rollout endRollout() {
        Rollout ended = rollout;
        rollout = null;
        return ended;
    }

    private Generation nextGeneration(WorkerFactory factory) {
        open.removeIf(Generation::closed);
        Generation g = new Generation(++lastGeneration, factory);
        open.add(g);
        return g;
    }
}
