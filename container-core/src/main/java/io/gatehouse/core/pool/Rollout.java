package io.gatehouse.core.pool;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A replacement of a pool's workers by a new generation in progress: graceful (a whole new set ready before the
 * old one retires) or chain (one new worker ready, then one old one retired). A reverse rollout puts the previous
 * generation back after the new one failed to start. It only decides; the pool applies its steps.
 *
 * @param from             the generation being replaced
 * @param to               the generation replacing it
 * @param previousSettings the settings in force before, restored if the rollout is abandoned
 * @param previousTarget   the worker count before, restored with them
 * @param chain            one worker at a time
 * @param reverse          putting {@code to}, the previous generation, back
 * @param result           completes when the rollout ends
 */
record Rollout(Generation from, Generation to, PoolSettings previousSettings, int previousTarget, boolean chain,
        boolean reverse, CompletableFuture<PoolOutcome> result) {

    /** Booting and idle old workers retire first, then busy ones. */
    private static final Comparator<WorkerSlot> RETIRE_ORDER =
            Comparator.comparingInt(s -> s.starting() ? 0 : s.idle() ? 1 : 2);

    /**
     * One step: the old workers to retire now, and whether the rollout is done (no old worker left serving and
     * {@code ready} new ones, at least the target).
     */
    record Step(List<WorkerSlot> retire, boolean done, int ready) {
    }

    /** The rollout that puts {@code from} back after {@code to} failed to start. */
    Rollout reversed() {
        return new Rollout(to, from, previousSettings, previousTarget, chain, true, new CompletableFuture<>());
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

    /** Retires old workers as far as the ready new ones allow. */
    Step step(Slots slots, int target) {
        int ready = slots.accepting(to);
        List<WorkerSlot> stale = slots.stale(to);
        stale.sort(RETIRE_ORDER);
        int excess = stale.size() - staleAllowed(target, ready, stale.size());
        List<WorkerSlot> retire = stale.subList(0, Math.max(0, excess));
        return new Step(retire, excess >= stale.size() && ready >= target, ready);
    }

    /** True if {@code s} failing to start sinks this rollout: one of its new workers, not on the way back. */
    boolean sunkBy(WorkerSlot s) {
        return !reverse && s.generation == to;
    }

    /** The outcome of a rollout that ended well after {@code step}. */
    PoolOutcome done(Step step) {
        return new PoolOutcome(true, reverse ? "previous workers restored"
                : "workers replaced by generation " + to.number + " (" + step.ready() + " ready)");
    }
}
