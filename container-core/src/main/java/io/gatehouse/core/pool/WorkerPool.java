package io.gatehouse.core.pool;

import io.gatehouse.app.Headers;
import io.gatehouse.core.exchange.Exchange;
import io.gatehouse.core.router.Dispatcher;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
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
    private final Map<Worker, WorkerSlot> byWorker = new IdentityHashMap<>();
    private final PoolChecks checks = new PoolChecks(this);
    volatile PoolSettings settings;
    Generation current;
    Rollout rollout;
    int target;
    boolean stopping;
    private final List<Generation> generations = new ArrayList<>();
    private int lastGeneration;
    private CompletableFuture<PoolOutcome> started;

    /** A pool for {@code settings.workers()} workers made by {@code factory}; nothing starts until {@link #start}. */
    public WorkerPool(PoolSettings settings, WorkerFactory factory) {
        this.settings = settings;
        this.target = settings.workers();
        this.current = newGeneration(factory);
    }

    private Generation newGeneration(WorkerFactory factory) {
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
        Actions actions = new Actions();
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
        Actions actions = new Actions();
        CompletableFuture<PoolOutcome> result = new CompletableFuture<>();
        synchronized (this) {
            if (stopping) {
                actions.add(factory::close);
                result.complete(new PoolOutcome(false, "the app is stopping"));
            } else {
                if (rollout != null) {
                    rollout.result.complete(new PoolOutcome(false, "superseded by a newer reload"));
                }
                Generation from = current;
                current = newGeneration(factory);
                rollout = new Rollout(from, current, settings, target, chain, false, result);
                settings = next;
                target = next.workers();
                manage(System.nanoTime(), actions);
            }
        }
        actions.run();
        return result;
    }

    /**
     * Applies new pool settings to the running workers (a reload that changed only those): the worker count moves
     * to {@code next.workers()} (within cheaper's bounds), surplus workers retire once idle, none is restarted.
     */
    public void retune(PoolSettings next) {
        Actions actions = new Actions();
        synchronized (this) {
            settings = next;
            target = next.workers();
            List<WorkerSlot> serving = new ArrayList<>();
            for (WorkerSlot s : slots) {
                if (s.generation == current && s.serving()) {
                    serving.add(s);
                }
            }
            serving.sort((a, b) -> Integer.compare(b.running.size() == 0 ? b.id() : -1, a.running.size() == 0
                    ? a.id() : -1));
            for (int i = 0; i < serving.size() - target; i++) {
                serving.get(i).retiring = true;
            }
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
        Actions actions = new Actions();
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
    public void finished(Worker worker, Exchange exchange) {
        Actions actions = new Actions();
        synchronized (this) {
            WorkerSlot s = byWorker.get(worker);
            Long began = s == null ? null : s.running.remove(exchange);
            if (began == null) {
                return;
            }
            long now = System.nanoTime();
            s.busyNanos += now - began;
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
        Actions actions = new Actions();
        synchronized (this) {
            WorkerSlot s = byWorker.remove(worker);
            if (s == null) {
                return;
            }
            slots.remove(s);
            s.generation.live--;
            long now = System.nanoTime();
            for (Exchange orphan : s.running.keySet()) {
                actions.add(() -> orphan.response().error(502, null));
            }
            boolean planned = s.state == WorkerSlot.State.STOPPING;
            if (!stopping && !planned) {
                String reason = describe(status, s.bootTimedOut ? "not ready within boot-timeout "
                        + settings.bootTimeout().toMillis() + " ms" : detail);
                if (s.state == WorkerSlot.State.STARTING) {
                    failedStart(s, reason, now, actions);
                } else {
                    stats.respawns.increment();
                    LOG.warning("app '" + appName() + "' worker " + worker.id() + pidText(worker) + " died ("
                            + reason + "); replacing it");
                }
            }
            if (crashing()) {
                List<Exchange> refused = new ArrayList<>(queue);
                queue.clear();
                for (Exchange e : refused) {
                    stats.rejected.increment();
                    actions.add(() -> e.response().error(503, new Headers().add("Retry-After", "1")));
                }
            }
            closeIfDone(s.generation, actions);
            manage(now, actions);
            notifyAll();
        }
        actions.run();
    }

    private void failedStart(WorkerSlot s, String reason, long now, Actions actions) {
        stats.failedStarts.increment();
        if (rollout != null && !rollout.reverse && s.generation == rollout.to) {
            if (servingGeneration(rollout.from)) {
                rollout.abandon(this, reason, actions);
                return;
            }
            rollout.giveUp(this, reason, now, actions);
        }
        if (s.generation != current) {
            return;
        }
        String where = "app '" + appName() + "' worker " + s.id() + pidText(s.worker);
        if (!backoff.failed(now, reason)) {
            LOG.fine(() -> where + " failed to start too (" + reason + ")");
        } else if (backoff.failures() == 1) {
            LOG.severe(where + " failed to start (" + reason + "); retrying in "
                    + seconds(backoff.untilNextAttempt(now)));
        } else {
            LOG.warning("app '" + appName() + "' keeps crashing: " + backoff.failures() + " failed starts, next "
                    + "attempt in " + seconds(backoff.untilNextAttempt(now)) + " (" + reason + ")");
        }
        if (started != null) {
            CompletableFuture<PoolOutcome> f = started;
            started = null;
            actions.add(() -> f.complete(new PoolOutcome(false, "worker failed to start: " + reason)));
        }
    }

    /** One supervision step: the timed checks, then the worker count. */
    public void tick() {
        Actions actions = new Actions();
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
    void manage(long now, Actions actions) {
        if (stopping) {
            for (WorkerSlot s : slots) {
                if (s.state != WorkerSlot.State.STOPPING && s.running.isEmpty() && queue.isEmpty()) {
                    beginStop(s, now, actions);
                }
            }
            return;
        }
        if (rollout != null) {
            rollout.step(this, now, actions);
        }
        ensureWorkerCount(now, actions);
        for (WorkerSlot s : slots) {
            if (s.retiring && s.state != WorkerSlot.State.STOPPING && s.running.isEmpty()) {
                beginStop(s, now, actions);
            }
        }
        completeStart(actions);
    }

    private void ensureWorkerCount(long now, Actions actions) {
        int serving = 0;
        int starting = 0;
        for (WorkerSlot s : slots) {
            if (s.generation == current && s.serving()) {
                serving++;
                starting += s.state == WorkerSlot.State.STARTING ? 1 : 0;
            }
        }
        int want = target - serving;
        if (want <= 0) {
            return;
        }
        if (backoff.failures() > 0) {
            // While the app fails to load, one worker probes at a time after the backoff.
            if (starting > 0 || !backoff.mayAttempt(now)) {
                return;
            }
            want = 1;
        }
        if (rollout != null) {
            want = Math.min(want, rollout.surge(target) - starting);
        }
        for (int i = 0; i < want; i++) {
            spawnWorker(now, actions);
        }
    }

    void spawnWorker(long now, Actions actions) {
        Worker w;
        try {
            w = current.factory.create(freeId(), this);
        } catch (RuntimeException | LinkageError e) {
            LOG.log(Level.SEVERE, "app '" + appName() + "': cannot create a worker", e);
            backoff.failed(now, e.toString());
            stats.failedStarts.increment();
            return;
        }
        WorkerSlot s = new WorkerSlot(w, current, now);
        slots.add(s);
        byWorker.put(w, s);
        current.live++;
        actions.add(w::start);
    }

    private int freeId() {
        for (int id = 1; ; id++) {
            boolean taken = false;
            for (WorkerSlot s : slots) {
                taken |= s.id() == id;
            }
            if (!taken) {
                return id;
            }
        }
    }

    void beginStop(WorkerSlot s, long now, Actions actions) {
        boolean booting = s.state == WorkerSlot.State.STARTING;
        s.state = WorkerSlot.State.STOPPING;
        s.stopRequestedNanos = now;
        actions.add(booting ? s.worker::kill : s.worker::stop);
    }

    private void completeStart(Actions actions) {
        if (started == null) {
            return;
        }
        int ready = 0;
        for (WorkerSlot s : slots) {
            ready += s.generation == current && s.state == WorkerSlot.State.READY ? 1 : 0;
        }
        if (ready >= target) {
            CompletableFuture<PoolOutcome> f = started;
            started = null;
            String detail = ready + " worker(s) ready";
            actions.add(() -> f.complete(new PoolOutcome(true, detail)));
        }
    }

    void closeIfDone(Generation g, Actions actions) {
        boolean needed = g == current || (rollout != null && (rollout.from == g || rollout.to == g));
        if (g.live == 0 && !needed && !g.closed) {
            g.closed = true;
            actions.add(g.factory::close);
        }
    }

    private boolean servingGeneration(Generation g) {
        for (WorkerSlot s : slots) {
            if (s.generation == g && s.state == WorkerSlot.State.READY) {
                return true;
            }
        }
        return false;
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

    private void takeQueued(WorkerSlot s, Actions actions) {
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
        Actions actions = new Actions();
        synchronized (this) {
            stopping = true;
            if (rollout != null) {
                Rollout r = rollout;
                rollout = null;
                actions.add(() -> r.result.complete(new PoolOutcome(false, "the app is stopping")));
            }
            if (started != null) {
                CompletableFuture<PoolOutcome> f = started;
                started = null;
                actions.add(() -> f.complete(new PoolOutcome(false, "the app is stopping")));
            }
            manage(System.nanoTime(), actions);
        }
        actions.run();
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
        while (!idle()) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    /** Waits until every worker has exited or the deadline passes, then closes the factories. True if all exited. */
    public boolean awaitExit(long deadlineNanos) throws InterruptedException {
        List<WorkerFactory> toClose = new ArrayList<>();
        synchronized (this) {
            while (!slots.isEmpty()) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                wait(Math.max(1, left / 1_000_000));
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

    /** starting, ready, reloading, crashing or stopping. */
    String stateName() {
        if (stopping) {
            return "stopping";
        }
        if (crashing()) {
            return "crashing";
        }
        if (rollout != null) {
            return "reloading";
        }
        return anyServing() ? "ready" : "starting";
    }

    static String pidText(Worker w) {
        return w.pid() > 0 ? " (pid " + w.pid() + ")" : "";
    }

    private static String describe(int status, String detail) {
        return "exit status " + status + (detail == null || detail.isEmpty() ? "" : ": " + detail);
    }

    static String seconds(long nanos) {
        return Math.max(1, (nanos + 500_000_000) / 1_000_000_000) + " s";
    }

    /** Work decided under the pool's lock and done after it is released (calls into workers and responses). */
    static final class Actions {
        private final List<Runnable> list = new ArrayList<>(4);

        void add(Runnable r) {
            list.add(r);
        }

        void run() {
            for (Runnable r : list) {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "worker pool action failed", e);
                }
            }
        }
    }
}
