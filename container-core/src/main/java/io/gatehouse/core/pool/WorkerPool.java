package io.gatehouse.core.pool;

import io.gatehouse.app.Headers;
import io.gatehouse.core.router.Dispatcher;
import io.gatehouse.spi.exchange.Exchange;
import io.gatehouse.spi.runtime.Worker;
import io.gatehouse.spi.runtime.WorkerEvents;
import io.gatehouse.spi.runtime.WorkerFactory;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

/**
 * The supervised workers of one app and the bounded queue in front of them. It hands each exchange to the least
 * busy ready worker (the lowest numbered on a tie, so cheaper finds idle workers), queues it when all are busy
 * (503 with Retry-After once the queue is full), and keeps the worker count: a worker that dies is replaced at
 * once, one that fails to start is retried with exponential backoff (the app "keeps crashing" meanwhile and
 * answers 503), one recycled after max-requests or over reload-on-rss is replaced before it stops. A reload
 * replaces the workers by a new generation without failing a request ({@link #replace}). The master calls
 * {@link #tick} periodically for the timed checks ({@link PoolChecks}).
 */
public final class WorkerPool implements Dispatcher, WorkerEvents {
    static final Logger LOG = Logger.getLogger(WorkerPool.class.getName());

    final List<WorkerSlot> slots = new ArrayList<>();
    final ArrayDeque<Exchange> queue = new ArrayDeque<>();
    final PoolStats stats = new PoolStats();
    final BootBackoff backoff = new BootBackoff();
    final Map<Worker, WorkerSlot> byWorker = new IdentityHashMap<>();
    private final PoolChecks checks = new PoolChecks(this);
    final PoolStaffing staffing = new PoolStaffing(this);
    volatile PoolSettings settings;
    Generation current;
    Rollout rollout;
    int target;
    boolean stopping;
    private final List<Generation> generations = new ArrayList<>();
    private int lastGeneration;
    CompletableFuture<PoolOutcome> started;

    /** A pool for {@code settings.workers()} workers made by {@code factory}; nothing starts until {@link #start}. */
    public WorkerPool(PoolSettings settings, WorkerFactory factory) {
        this.settings = settings;
        this.target = settings.workers();
        this.current = newGeneration(factory);
    }

    Generation newGeneration(WorkerFactory factory) {
        generations.removeIf(g -> g.closed);
        Generation g = new Generation(++lastGeneration, factory);
        generations.add(g);
        return g;
    }

    @Override
    public String appName() {
        return settings.app();
    }

    /** The pool's settings in force. */
    public PoolSettings settings() {
        return settings;
    }

    /** Counters for the stats server and meters. */
    public PoolStats stats() {
        return stats;
    }

    /** Spawns the workers; the result completes when all are ready, or with the first failed start. */
    public CompletableFuture<PoolOutcome> start() {
        PoolActions actions = new PoolActions();
        CompletableFuture<PoolOutcome> result = new CompletableFuture<>();
        synchronized (this) {
            started = result;
            manage(System.nanoTime(), actions);
        }
        actions.run();
        return result;
    }

    /**
     * Replaces every worker by one from {@code factory}, with {@code next} settings: new workers first, old ones
     * retired as the new ones become ready (all at once, or one by one when {@code chain}). If a new worker fails
     * to start while the old generation is serving, the replacement is abandoned and the old workers stay. The
     * result completes when every old worker is retired, or at the abandonment.
     */
    public CompletableFuture<PoolOutcome> replace(PoolSettings next, WorkerFactory factory, boolean chain) {
        PoolActions actions = new PoolActions();
        CompletableFuture<PoolOutcome> result = new CompletableFuture<>();
        synchronized (this) {
            Rollout.begin(this, next, factory, chain, result, actions);
        }
        actions.run();
        return result;
    }

    /**
     * Applies new pool settings to the running workers (a reload that changed only those): the worker count moves
     * to {@code next.workers()} (within cheaper's bounds), surplus workers retire once idle, none is restarted.
     */
    public void retune(PoolSettings next) {
        PoolActions actions = new PoolActions();
        synchronized (this) {
            staffing.retune(next);
            manage(System.nanoTime(), actions);
        }
        actions.run();
    }

    @Override
    public void dispatch(Exchange exchange) {
        WorkerSlot target;
        Worker worker = null;
        long retryAfter = 0;
        synchronized (this) {
            target = crashing() ? null : leastBusy();
            if (target != null) {
                target.running.put(exchange, System.nanoTime());
                worker = target.worker;
            } else if (crashing()) {
                retryAfter = Math.max(1, (backoff.untilNextAttempt(System.nanoTime()) + 999_999_999) / 1_000_000_000);
            } else if (queue.size() >= settings.queue() || (stopping && !anyServing())) {
                retryAfter = 1;
            } else {
                queue.add(exchange);
            }
        }
        if (worker != null) {
            worker.handle(exchange);
        } else if (retryAfter > 0) {
            stats.rejected.increment();
            exchange.response().error(503, new Headers().add("Retry-After", Long.toString(retryAfter)));
        }
    }

    @Override
    public void ready(Worker worker) {
        PoolActions actions = new PoolActions();
        synchronized (this) {
            WorkerSlot s = byWorker.get(worker);
            if (s == null || s.state != WorkerSlot.State.STARTING) {
                return;
            }
            long now = System.nanoTime();
            s.state = WorkerSlot.State.READY;
            s.idleSinceNanos = now;
            if (s.generation == current) {
                int failures = backoff.succeeded();
                if (failures > 0) {
                    LOG.info("app '" + appName() + "' starts again after " + failures + " failed start(s)");
                }
            }
            LOG.fine(() -> "app '" + appName() + "' worker " + worker.id() + pidText(worker) + " ready");
            takeQueued(s, actions);
            manage(now, actions);
            notifyAll();
        }
        actions.run();
    }

    @Override
    public synchronized void held(Worker worker, Exchange exchange) {
        WorkerSlot s = byWorker.get(worker);
        if (s != null) {
            s.running.replace(exchange, WorkerSlot.HELD);
        }
    }

    @Override
    public synchronized void started(Worker worker, Exchange exchange) {
        WorkerSlot s = byWorker.get(worker);
        if (s != null) {
            s.running.replace(exchange, System.nanoTime());
        }
    }

    @Override
    public void finished(Worker worker, Exchange exchange) {
        PoolActions actions = new PoolActions();
        synchronized (this) {
            WorkerSlot s = byWorker.get(worker);
            Long began = s == null ? null : s.running.remove(exchange);
            if (began == null) {
                return;
            }
            long now = System.nanoTime();
            s.busyNanos += began == WorkerSlot.HELD ? 0 : now - began;
            s.overdue.remove(exchange);
            s.served++;
            stats.served.increment();
            if (s.running.isEmpty()) {
                s.idleSinceNanos = now;
            }
            if (settings.maxRequests() > 0 && s.served >= settings.maxRequests() && s.serving() && !stopping) {
                LOG.info("app '" + appName() + "' worker " + worker.id() + pidText(worker) + " served max-requests "
                        + settings.maxRequests() + "; recycling it");
                stats.recycles.increment();
                s.retiring = true;
            }
            takeQueued(s, actions);
            manage(now, actions);
            notifyAll();
        }
        actions.run();
    }

    @Override
    public void exited(Worker worker, int status, String detail) {
        PoolActions actions = new PoolActions();
        synchronized (this) {
            WorkerSlot s = byWorker.remove(worker);
            if (s == null) {
                return;
            }
            slots.remove(s);
            s.generation.live--;
            long now = System.nanoTime();
            staffing.settleOrphans(s, actions);
            boolean planned = s.state == WorkerSlot.State.STOPPING;
            if (!stopping && !planned) {
                String reason = describe(status, s.bootTimedOut ? "not ready within boot-timeout "
                        + settings.bootTimeout().toMillis() + " ms" : detail);
                if (s.state == WorkerSlot.State.STARTING) {
                    staffing.failedStart(s, reason, now, actions);
                } else {
                    stats.respawns.increment();
                    LOG.warning("app '" + appName() + "' worker " + worker.id() + pidText(worker) + " died ("
                            + reason + "); replacing it");
                }
            }
            if (crashing()) {
                staffing.refuseQueued(actions);
            }
            staffing.closeIfDone(s.generation, actions);
            manage(now, actions);
            notifyAll();
        }
        actions.run();
    }

    /** One supervision step: the timed checks, then the worker count. */
    public void tick() {
        PoolActions actions = new PoolActions();
        List<WorkerSlot> sample = checks.rssSample();
        checks.readRss(sample);
        synchronized (this) {
            long now = System.nanoTime();
            checks.run(now, actions);
            manage(now, actions);
        }
        actions.run();
    }

    /** Steps the rollout, keeps the worker count, and stops what must stop. Called under the lock. */
    void manage(long now, PoolActions actions) {
        if (stopping) {
            for (WorkerSlot s : slots) {
                if (s.state != WorkerSlot.State.STOPPING && s.running.isEmpty() && queue.isEmpty()) {
                    staffing.beginStop(s, now, actions);
                }
            }
            return;
        }
        if (rollout != null) {
            rollout.step(this, now, actions);
        }
        staffing.ensureWorkerCount(now, actions);
        for (WorkerSlot s : slots) {
            if (s.retiring && s.state != WorkerSlot.State.STOPPING && s.running.isEmpty()) {
                staffing.beginStop(s, now, actions);
            }
        }
        staffing.completeStart(actions);
    }

    boolean anyServing() {
        for (WorkerSlot s : slots) {
            if (s.state == WorkerSlot.State.READY && !s.retiring) {
                return true;
            }
        }
        return false;
    }

    /** No ready worker and the last start failed: exchanges are answered 503 at once. */
    boolean crashing() {
        return backoff.failures() > 0 && !anyServing();
    }

    private WorkerSlot leastBusy() {
        WorkerSlot best = null;
        for (WorkerSlot s : slots) {
            if (s.free() > 0 && (best == null || s.running.size() < best.running.size()
                    || (s.running.size() == best.running.size() && s.id() < best.id()))) {
                best = s;
            }
        }
        return best;
    }

    void takeQueued(WorkerSlot s, PoolActions actions) {
        while (s.free() > 0 && !queue.isEmpty()) {
            Exchange next = queue.poll();
            if (!next.clientGone()) {
                s.running.put(next, System.nanoTime());
                Worker w = s.worker;
                actions.add(() -> w.handle(next));
            }
        }
    }

    /** Stops taking new work: idle workers stop now, busy ones once they and the queue are done. */
    public void stop() {
        PoolActions actions = new PoolActions();
        synchronized (this) {
            stopping = true;
            settle(rollout == null ? null : rollout.result, actions);
            settle(started, actions);
            rollout = null;
            started = null;
            manage(System.nanoTime(), actions);
        }
        actions.run();
    }

    private static void settle(CompletableFuture<PoolOutcome> pending, PoolActions actions) {
        if (pending != null) {
            actions.add(() -> pending.complete(new PoolOutcome(false, "the app is stopping")));
        }
    }

    /** Kills every worker now. */
    public void kill() {
        List<Worker> live = new ArrayList<>();
        synchronized (this) {
            stopping = true;
            for (WorkerSlot s : slots) {
                live.add(s.worker);
            }
        }
        live.forEach(Worker::kill);
    }

    /** True when nothing is queued or running. */
    public synchronized boolean idle() {
        if (!queue.isEmpty()) {
            return false;
        }
        for (WorkerSlot s : slots) {
            if (!s.running.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /** Waits until the pool is idle or the deadline (nanoTime) passes; true if idle. */
    public synchronized boolean awaitIdle(long deadlineNanos) throws InterruptedException {
        return waitUntil(this::idle, deadlineNanos);
    }

    /** Waits until every worker has exited or the deadline passes, then closes the factories. True if all exited. */
    public boolean awaitExit(long deadlineNanos) throws InterruptedException {
        List<WorkerFactory> toClose = new ArrayList<>();
        synchronized (this) {
            if (!waitUntil(slots::isEmpty, deadlineNanos)) {
                return false;
            }
            for (Generation g : generations) {
                if (!g.closed) {
                    g.closed = true;
                    toClose.add(g.factory);
                }
            }
        }
        toClose.forEach(WorkerFactory::close);
        return true;
    }

    /** Exchanges waiting for a worker. */
    public synchronized int queued() {
        return queue.size();
    }

    /** A snapshot of the pool and each live worker. */
    public synchronized PoolStatus status() {
        return PoolStatus.of(this, System.nanoTime());
    }

    /** Waits on the pool's monitor (held by the caller) until {@code done} or the deadline; true if done. */
    private boolean waitUntil(BooleanSupplier done, long deadlineNanos) throws InterruptedException {
        while (!done.getAsBoolean()) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    static String pidText(Worker w) {
        return w.pid() > 0 ? " (pid " + w.pid() + ")" : "";
    }

    private static String describe(int status, String detail) {
        return "exit status " + status + (detail == null || detail.isEmpty() ? "" : ": " + detail);
    }
}
