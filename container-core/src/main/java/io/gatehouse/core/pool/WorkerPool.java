package io.gatehouse.core.pool;

import io.gatehouse.app.EnvironKeys;
import io.gatehouse.app.Headers;
import io.gatehouse.core.exchange.Exchange;
import io.gatehouse.core.router.Dispatcher;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The supervised workers of one app and the bounded queue in front of them. It hands each exchange to the least
 * busy ready worker, queues it when all are busy (503 with Retry-After once the queue is full), answers 504 and
 * kills the worker on harakiri, answers 502 for exchanges a dying worker leaves behind, recycles workers after
 * max-requests or over reload-on-rss, and respawns exited workers: at once after a crash, with exponential
 * backoff while the app fails to boot, so a broken app never spins. The master calls {@link #tick} periodically.
 */
public final class WorkerPool implements Dispatcher, WorkerEvents {
    private static final Logger LOG = Logger.getLogger(WorkerPool.class.getName());
    private static final long MAX_BACKOFF_NANOS = 30_000_000_000L;

    private final PoolSettings settings;
    private final WorkerFactory factory;
    private final WorkerSlot[] slots;
    private final ArrayDeque<Exchange> queue = new ArrayDeque<>();
    private final PoolStats stats = new PoolStats();
    private int bootFailures;
    private boolean stopping;
    private volatile WorkerPool successor;

    /** A pool for {@code settings.workers()} workers made by {@code factory}; nothing starts until {@link #start}. */
    public WorkerPool(PoolSettings settings, WorkerFactory factory) {
        this.settings = settings;
        this.factory = factory;
        this.slots = new WorkerSlot[settings.workers()];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = new WorkerSlot(i + 1);
        }
    }

    @Override
    public String appName() {
        return settings.app();
    }

    /** The pool's settings. */
    public PoolSettings settings() {
        return settings;
    }

    /** Counters for the stats server and meters. */
    public PoolStats stats() {
        return stats;
    }

    /** Spawns every worker. */
    public void start() {
        List<Worker> spawned = new ArrayList<>();
        synchronized (this) {
            for (WorkerSlot s : slots) {
                spawned.add(fill(s));
            }
        }
        spawned.forEach(Worker::start);
    }

    @Override
    public void dispatch(Exchange exchange) {
        WorkerPool next = successor;
        if (next != null) {
            next.dispatch(exchange);
            return;
        }
        Worker target = null;
        boolean reject;
        synchronized (this) {
            WorkerSlot s = stopping ? null : leastBusy();
            if (s != null) {
                assign(s, exchange);
                target = s.worker;
            }
            reject = target == null && (stopping || failingToBoot() || queue.size() >= settings.queue());
            if (target == null && !reject) {
                queue.add(exchange);
            }
        }
        if (target != null) {
            target.handle(exchange);
        } else if (reject) {
            stats.rejected.increment();
            exchange.response().error(503, new Headers().add("Retry-After", "1"));
        }
    }

    @Override
    public void ready(Worker worker) {
        List<Exchange> toRun = new ArrayList<>();
        synchronized (this) {
            WorkerSlot s = slotOf(worker);
            if (s == null || s.state != WorkerSlot.State.STARTING) {
                return;
            }
            s.state = WorkerSlot.State.READY;
            s.everReady = true;
            bootFailures = 0;
            takeQueued(s, toRun);
            notifyAll();
        }
        LOG.info(() -> "app '" + settings.app() + "' worker " + worker.id() + pidText(worker) + " ready");
        toRun.forEach(worker::handle);
    }

    @Override
    public void finished(Worker worker, Exchange exchange) {
        List<Exchange> toRun = new ArrayList<>();
        boolean stop = false;
        synchronized (this) {
            WorkerSlot s = slotOf(worker);
            if (s == null || s.running.remove(exchange) == null) {
                return;
            }
            s.overdue.remove(exchange);
            s.served++;
            stats.served.increment();
            if (settings.maxRequests() > 0 && s.served >= settings.maxRequests() && !s.retiring) {
                LOG.info(() -> "app '" + settings.app() + "' worker " + worker.id() + " reached max-requests "
                        + settings.maxRequests() + "; recycling");
                s.retiring = true;
            }
            if (s.retiring) {
                stop = beginStop(s);
            } else {
                takeQueued(s, toRun);
            }
            notifyAll();
        }
        toRun.forEach(worker::handle);
        if (stop) {
            worker.stop();
        }
    }

    @Override
    public void exited(Worker worker, int status, String detail) {
        List<Exchange> orphans;
        List<Exchange> refused = List.of();
        Worker respawn = null;
        synchronized (this) {
            WorkerSlot s = slotOf(worker);
            if (s == null) {
                return;
            }
            orphans = new ArrayList<>(s.running.keySet());
            boolean planned = s.state == WorkerSlot.State.STOPPING;
            boolean bootFailed = !s.everReady;
            s.emptied();
            notifyAll();
            if (!stopping) {
                long now = System.nanoTime();
                if (bootFailed) {
                    bootFailures++;
                    long backoff = Math.min(MAX_BACKOFF_NANOS, 1_000_000_000L << Math.min(bootFailures - 1, 20));
                    s.respawnAtNanos = now + backoff;
                    logBootFailure(worker, status, detail, backoff);
                } else {
                    if (!planned) {
                        LOG.warning("app '" + settings.app() + "' worker " + worker.id() + pidText(worker)
                                + " died (" + describe(status, detail) + "); respawning");
                    }
                    stats.respawns.increment();
                    respawn = fill(s);
                }
                if (failingToBoot()) {
                    refused = new ArrayList<>(queue);
                    queue.clear();
                }
            }
        }
        orphans.forEach(e -> e.response().error(502, null));
        refused.forEach(e -> e.response().error(503, new Headers().add("Retry-After", "1")));
        if (respawn != null) {
            respawn.start();
        }
    }

    /** One supervision step: harakiri, respawns due after backoff, recycling over reload-on-rss and mercy. */
    public void tick() {
        long now = System.nanoTime();
        List<Runnable> actions = new ArrayList<>();
        synchronized (this) {
            for (WorkerSlot s : slots) {
                checkHarakiri(s, now, actions);
                checkRss(s, actions);
                checkMercy(s, now, actions);
                if (!s.live() && !stopping && s.respawnAtNanos != 0 && now >= s.respawnAtNanos) {
                    s.respawnAtNanos = 0;
                    Worker w = fill(s);
                    actions.add(w::start);
                }
            }
        }
        actions.forEach(Runnable::run);
    }

    private void checkHarakiri(WorkerSlot s, long now, List<Runnable> actions) {
        long limit = settings.harakiri().toNanos();
        if (limit <= 0 || s.worker == null) {
            return;
        }
        Worker w = s.worker;
        for (Map.Entry<Exchange, Long> e : s.running.entrySet()) {
            Exchange ex = e.getKey();
            if (now - e.getValue() > limit && s.overdue.put(ex, Boolean.TRUE) == null) {
                stats.harakiris.increment();
                LOG.warning("harakiri: app '" + settings.app() + "' worker " + w.id() + pidText(w) + " ran "
                        + ex.environ().get(EnvironKeys.REQUEST_METHOD) + " " + ex.environ().get(EnvironKeys.REQUEST_URI)
                        + " for over " + settings.harakiri().toMillis() + " ms; answering 504 and ending it");
                actions.add(() -> {
                    ex.response().error(504, null);
                    w.harakiri(ex);
                });
            }
        }
    }

    private void checkRss(WorkerSlot s, List<Runnable> actions) {
        if (settings.reloadOnRss() <= 0 || s.state != WorkerSlot.State.READY || s.retiring) {
            return;
        }
        long rss = s.worker.rssBytes();
        if (rss > settings.reloadOnRss()) {
            LOG.info("app '" + settings.app() + "' worker " + s.id + pidText(s.worker) + " uses " + rss
                    + " bytes, over reload-on-rss " + settings.reloadOnRss() + "; recycling");
            s.retiring = true;
            Worker w = s.worker;
            if (beginStop(s)) {
                actions.add(w::stop);
            }
        }
    }

    private void checkMercy(WorkerSlot s, long now, List<Runnable> actions) {
        if (s.state == WorkerSlot.State.STOPPING && now - s.stopRequestedNanos > settings.reloadMercy().toNanos()) {
            Worker w = s.worker;
            s.stopRequestedNanos = Long.MAX_VALUE / 2;
            LOG.warning("app '" + settings.app() + "' worker " + w.id() + pidText(w) + " did not stop within "
                    + "reload-mercy " + settings.reloadMercy().toMillis() + " ms; killing");
            actions.add(w::kill);
        }
    }

    /** Hands every exchange dispatched from now on to {@code next} (a reload's new generation). */
    public void handOver(WorkerPool next) {
        this.successor = next;
        List<Exchange> waiting;
        synchronized (this) {
            waiting = new ArrayList<>(queue);
            queue.clear();
        }
        waiting.forEach(next::dispatch);
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

    /** Waits until every worker is ready (or the app is failing to boot) or the deadline passes; true if ready. */
    public synchronized boolean awaitReady(long deadlineNanos) throws InterruptedException {
        while (!allReady()) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0 || failingToBoot()) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    private boolean allReady() {
        for (WorkerSlot s : slots) {
            if (s.state != WorkerSlot.State.READY) {
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

    /** Stops every worker politely (they finish what they run) and respawns none. */
    public void stop() {
        List<Worker> live = new ArrayList<>();
        synchronized (this) {
            stopping = true;
            for (WorkerSlot s : slots) {
                if (s.live() && s.state != WorkerSlot.State.STOPPING) {
                    live.add(s.worker);
                    s.state = WorkerSlot.State.STOPPING;
                    s.stopRequestedNanos = System.nanoTime();
                }
            }
        }
        live.forEach(Worker::stop);
    }

    /** Kills every worker now. */
    public void kill() {
        List<Worker> live = new ArrayList<>();
        synchronized (this) {
            stopping = true;
            for (WorkerSlot s : slots) {
                if (s.live()) {
                    live.add(s.worker);
                }
            }
        }
        live.forEach(Worker::kill);
    }

    /** Waits until every worker has exited or the deadline passes; then closes the factory. True if all exited. */
    public synchronized boolean awaitExit(long deadlineNanos) throws InterruptedException {
        while (anyLive()) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        factory.close();
        return true;
    }

    /** A snapshot of each worker place, for status and stats. */
    public synchronized List<WorkerStatus> workers() {
        List<WorkerStatus> out = new ArrayList<>(slots.length);
        long now = System.nanoTime();
        for (WorkerSlot s : slots) {
            long oldest = s.running.values().stream().mapToLong(t -> now - t).max().orElse(-1);
            out.add(new WorkerStatus(s.id, s.worker == null ? -1 : s.worker.pid(), s.state.name().toLowerCase(),
                    s.running.size(), s.served, s.worker == null ? -1 : s.worker.rssBytes(), oldest,
                    s.worker == null ? 0 : now - s.spawnedNanos));
        }
        return out;
    }

    /** Exchanges waiting for a worker. */
    public synchronized int queued() {
        return queue.size();
    }

    private Worker fill(WorkerSlot s) {
        Worker w = factory.create(s.id, this);
        s.filled(w, System.nanoTime());
        return w;
    }

    private boolean beginStop(WorkerSlot s) {
        if (!s.running.isEmpty() || s.state == WorkerSlot.State.STOPPING) {
            return false;
        }
        s.state = WorkerSlot.State.STOPPING;
        s.stopRequestedNanos = System.nanoTime();
        return true;
    }

    private WorkerSlot leastBusy() {
        WorkerSlot best = null;
        for (WorkerSlot s : slots) {
            if (s.free() > 0 && (best == null || s.running.size() < best.running.size())) {
                best = s;
            }
        }
        return best;
    }

    private void assign(WorkerSlot s, Exchange exchange) {
        s.running.put(exchange, System.nanoTime());
    }

    private void takeQueued(WorkerSlot s, List<Exchange> toRun) {
        while (s.free() > 0 && !queue.isEmpty()) {
            Exchange next = queue.poll();
            if (!next.clientGone()) {
                assign(s, next);
                toRun.add(next);
            }
        }
    }

    private boolean failingToBoot() {
        if (bootFailures == 0) {
            return false;
        }
        for (WorkerSlot s : slots) {
            if (s.state == WorkerSlot.State.READY) {
                return false;
            }
        }
        return true;
    }

    private boolean anyLive() {
        for (WorkerSlot s : slots) {
            if (s.live()) {
                return true;
            }
        }
        return false;
    }

    private WorkerSlot slotOf(Worker w) {
        int i = w.id() - 1;
        return i >= 0 && i < slots.length && slots[i].holds(w) ? slots[i] : null;
    }

    private void logBootFailure(Worker w, int status, String detail, long backoffNanos) {
        String message = "app '" + settings.app() + "' worker " + w.id() + " failed to start ("
                + describe(status, detail) + "); attempt " + bootFailures + ", retrying in "
                + backoffNanos / 1_000_000 + " ms";
        if (bootFailures == 1) {
            LOG.severe(message);
        } else {
            LOG.warning(message);
        }
    }

    private static String describe(int status, String detail) {
        return "exit status " + status + (detail == null || detail.isEmpty() ? "" : ": " + detail);
    }

    private static String pidText(Worker w) {
        return w.pid() > 0 ? " (pid " + w.pid() + ")" : "";
    }
}
