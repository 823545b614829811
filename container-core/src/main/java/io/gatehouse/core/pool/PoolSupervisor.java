package io.gatehouse.core.pool;

import io.gatehouse.app.Headers;
import io.gatehouse.spi.exchange.Exchange;
import io.gatehouse.spi.runtime.Worker;
import io.gatehouse.spi.runtime.WorkerEvents;
import io.gatehouse.spi.runtime.WorkerFactory;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;

/**
 * Keeps one pool's workers, in small named steps as gunicorn's arbiter does: it places exchanges, follows what the
 * workers report, runs the timed checks and keeps the worker count. Each step asks the {@link Slots}, takes the
 * decisions of the {@link PoolChecks}, the {@link PoolStaffing} and the {@link Rollout}, and applies them. The
 * state it changes has one owner each, written only through its own methods: the slots (workers and queue), the
 * staffing (settings, target, generations, rollout), the {@link BootBackoff}, and this class (stopping). It is
 * single-threaded: {@link WorkerPool} calls it under the pool's lock, and makes the calls into workers and responses
 * it leaves in the {@link PoolActions} once the lock is released.
 */
final class PoolSupervisor {
    private static final PoolOutcome STOPPING = new PoolOutcome(false, "the app is stopping");

    /** Where {@link #place} put an exchange: with {@code worker}, or refused with Retry-After; neither if queued. */
    record Placement(Worker worker, long retryAfter) {
        static final Placement QUEUED = new Placement(null, 0);
        /** A WebSocket handshake for an app that cannot take one. */
        static final Placement REFUSED = new Placement(null, -1);
    }

    private final Slots slots;
    private final PoolStats stats = new PoolStats();
    private final BootBackoff backoff = new BootBackoff();
    private final PoolChecks checks = new PoolChecks();
    private final PoolStaffing staffing;
    /** What the workers report to: the pool. */
    private final WorkerEvents events;
    private boolean stopping;

    PoolSupervisor(Slots slots, PoolSettings settings, WorkerFactory factory, WorkerEvents events) {
        this.slots = slots;
        this.staffing = new PoolStaffing(settings, factory);
        this.events = events;
    }

    /** The settings in force; readable without the lock. */
    PoolSettings settings() {
        return staffing.settings();
    }

    PoolStats stats() {
        return stats;
    }

    // What the master asks.

    void start(CompletableFuture<PoolOutcome> result, long now, PoolActions actions) {
        staffing.start(result);
        manage(now, actions);
    }

    void replace(PoolSettings next, WorkerFactory factory, boolean chain, CompletableFuture<PoolOutcome> result,
            long now, PoolActions actions) {
        if (stopping) {
            actions.add(factory::close);
            result.complete(STOPPING);
            return;
        }
        staffing.reload(next, factory, chain, result);
        manage(now, actions);
    }

    void retune(PoolSettings next, long now, PoolActions actions) {
        staffing.retune(next);
        slots.surplus(staffing.current(), staffing.target()).forEach(WorkerSlot::retire);
        manage(now, actions);
    }

    /** The timed checks of each worker, then cheaper while the pool is steady, then the worker count. */
    void tick(long now, PoolActions actions) {
        for (PoolChecks.Finding f : checks.run(slots, staffing.settings(), stopping, now)) {
            act(f, actions);
        }
        if (!stopping && staffing.rollout() == null && backoff.failures() == 0) {
            cheaper(now, actions);
        }
        manage(now, actions);
    }

    /** Workers whose memory to read now, outside the lock; empty when not due. */
    List<WorkerSlot> rssSample(long now) {
        return checks.rssSample(slots, staffing.settings(), now);
    }

    void stop(long now, PoolActions actions) {
        stopping = true;
        staffing.stop(STOPPING, actions);
        manage(now, actions);
    }

    /** Stops everything at once; returns the workers to kill. */
    List<Worker> killAll() {
        stopping = true;
        return slots.workers();
    }

    // What the router and the workers report.

    Placement place(Exchange exchange, long now) {
        if (exchange.websocket() != null && !staffing.current().factory.acceptsWebSocket()) {
            return Placement.REFUSED;
        }
        WorkerSlot free = crashing() ? null : slots.leastBusy();
        if (free != null) {
            free.run(exchange, now);
            return new Placement(free.worker, 0);
        } else if (crashing()) {
            return new Placement(null, Math.max(1, (backoff.untilNextAttempt(now) + 999_999_999) / 1_000_000_000));
        } else if (slots.queued() >= staffing.settings().queue() || (stopping && !slots.anyAccepting())) {
            return new Placement(null, 1);
        }
        slots.enqueue(exchange);
        return Placement.QUEUED;
    }

    void ready(Worker worker, long now, PoolActions actions) {
        WorkerSlot s = slots.of(worker);
        if (s == null || !s.starting()) {
            return;
        }
        s.becomeReady(now);
        if (s.generation == staffing.current()) {
            backoff.succeeded(staffing.app());
        }
        WorkerPool.LOG.fine(() -> "app '" + staffing.app() + "' " + s.name() + " ready");
        slots.takeQueued(s, actions);
        manage(now, actions);
    }

    void finished(Worker worker, Exchange exchange, long now, PoolActions actions) {
        WorkerSlot s = slots.of(worker);
        if (s == null || !s.finish(exchange, now)) {
            return;
        }
        stats.served.increment();
        long max = staffing.settings().maxRequests();
        if (max > 0 && s.served() >= max && s.serving() && !stopping) {
            WorkerPool.LOG.info("app '" + staffing.app() + "' " + s.name() + " served max-requests " + max
                    + "; recycling it");
            recycle(s);
        }
        slots.takeQueued(s, actions);
        manage(now, actions);
    }

    void exited(Worker worker, int status, String detail, long now, PoolActions actions) {
        WorkerSlot s = slots.remove(worker);
        if (s == null) {
            return;
        }
        stats.servedAloneByGone.add(worker.servedAlone());
        slots.requeueFront(s, stopping, actions);
        if (!stopping && !s.stopping()) {
            String why = s.bootTimedOut() ? "not ready within boot-timeout "
                    + staffing.settings().bootTimeout().toMillis() + " ms" : detail;
            String reason = "exit status " + status + (why == null || why.isEmpty() ? "" : ": " + why);
            if (s.starting()) {
                failedStart(s, reason, now, actions);
            } else {
                stats.respawns.increment();
                WorkerPool.LOG.warning("app '" + staffing.app() + "' " + s.name() + " died (" + reason
                        + "); replacing it");
            }
        }
        if (crashing()) {
            refuseQueued(actions);
        }
        staffing.closeIfDone(s.generation, slots, actions);
        manage(now, actions);
    }

    // The steps.

    /** Steps the rollout, keeps the worker count, and stops what must stop. */
    private void manage(long now, PoolActions actions) {
        if (stopping) {
            if (slots.queued() == 0) {
                slots.stopIdle(now, actions);
            }
            return;
        }
        if (staffing.rollout() != null) {
            stepRollout(now, actions);
        }
        for (int n = staffing.toSpawn(slots, backoff, now); n > 0; n--) {
            spawnWorker(staffing.current(), now, actions);
        }
        slots.stopRetired(now, actions);
        staffing.completeStart(slots, actions);
    }

    private void spawnWorker(Generation current, long now, PoolActions actions) {
        Worker w;
        try {
            w = current.factory.create(slots.freeId(), events);
        } catch (RuntimeException | LinkageError e) {
            WorkerPool.LOG.log(Level.SEVERE, "app '" + staffing.app() + "': cannot create a worker", e);
            backoff.failed(now, e.toString());
            stats.failedStarts.increment();
            return;
        }
        slots.add(new WorkerSlot(w, current, now));
        actions.add(w::start);
    }

    private void failedStart(WorkerSlot s, String reason, long now, PoolActions actions) {
        stats.failedStarts.increment();
        Rollout r = staffing.rollout();
        if (r != null && r.sunkBy(s)) {
            if (slots.ready(r.from()) > 0) {
                staffing.abandonRollout(reason, slots, actions);
                return;
            }
            // nothing of the previous generation serves: the new one stays, crashing
            slots.stale(r.to()).forEach(old -> slots.retire(old, now, actions));
            staffing.giveUpRollout(reason, slots, actions);
        }
        if (s.generation == staffing.current()) {
            backoff.failed(now, reason, staffing.app(), s.name());
            staffing.failStart(reason, actions);
        }
    }

    /** Retires old workers as far as the rollout's ready new ones allow; it ends once no old worker serves. */
    private void stepRollout(long now, PoolActions actions) {
        Rollout.Step step = staffing.rollout().step(slots, staffing.target());
        step.retire().forEach(s -> slots.retire(s, now, actions));
        if (step.done()) {
            staffing.finishRollout(step, slots, actions);
        }
    }

    private void recycle(WorkerSlot s) {
        stats.recycles.increment();
        s.retire();
    }

    private void act(PoolChecks.Finding f, PoolActions actions) {
        switch (f.check()) {
            case HARAKIRI -> {
                stats.harakiris.increment();
                actions.add(f.slot().harakiri(f.exchange()));
            }
            case BOOT_TIMEOUT -> actions.add(f.slot().killUnbooted());
            case RELOAD_ON_RSS, MAX_REQUESTS -> recycle(f.slot());
            case RELOAD_MERCY -> actions.add(f.slot().killPastMercy());
        }
    }

    private void cheaper(long now, PoolActions actions) {
        PoolChecks.Resize resize = checks.cheaper(slots, staffing.settings(), staffing.current(), staffing.target(),
                now);
        if (resize != null) {
            staffing.resize(resize.target());
            if (resize.retire() != null) {
                slots.retire(resize.retire(), now, actions);
            }
        }
    }

    /** Answers every queued exchange 503: the app has no worker to serve them and is backing off. */
    private void refuseQueued(PoolActions actions) {
        for (Exchange e : slots.drainQueue()) {
            stats.rejected.increment();
            actions.add(() -> e.response().error(503, new Headers().add("Retry-After", "1")));
        }
    }

    // What the master and the stats server read.

    /** Marks every generation closed; returns the factories to close once the lock is released. */
    List<WorkerFactory> closeFactories() {
        return staffing.closeAll();
    }

    /** Requests the pool's workers, live and gone, served alone (the direct path). */
    long servedAlone() {
        long n = stats.servedAloneByGone.sum();
        for (WorkerSlot s : slots.all()) {
            n += s.worker.servedAlone();
        }
        return n;
    }

    PoolStatus status(long now) {
        return new PoolStatus(staffing.app(), state(), staffing.current().number, staffing.target(), slots.queued(),
                backoff.failures(), backoff.untilNextAttempt(now), backoff.lastFailure(), slots.status(now));
    }

    /** No ready worker and the last start failed: exchanges are answered 503 at once. */
    private boolean crashing() {
        return backoff.failures() > 0 && !slots.anyAccepting();
    }

    /** starting, ready, reloading, crashing or stopping. */
    private String state() {
        return stopping ? "stopping" : crashing() ? "crashing" : staffing.rollout() != null ? "reloading"
                : slots.anyAccepting() ? "ready" : "starting";
    }
}
