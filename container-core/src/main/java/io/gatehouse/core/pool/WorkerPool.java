package io.gatehouse.core.pool;

import io.gatehouse.app.Headers;
import io.gatehouse.core.router.Dispatcher;
import io.gatehouse.spi.exchange.Exchange;
import io.gatehouse.spi.exchange.WebSocket;
import io.gatehouse.spi.runtime.Worker;
import io.gatehouse.spi.runtime.WorkerEvents;
import io.gatehouse.spi.runtime.WorkerFactory;
import java.util.List;
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
 *
 * <p>This class holds the pool's lock. Every call decides under it, through the {@link PoolSupervisor} (which
 * keeps the workers) and the {@link Slots} (which hold them and the queue), and makes the calls into workers and
 * responses that were decided ({@link PoolActions}) once the lock is released.
 */
public final class WorkerPool implements Dispatcher, WorkerEvents {
    static final Logger LOG = Logger.getLogger(WorkerPool.class.getName());

    private final Slots slots = new Slots();
    private final PoolSupervisor supervisor;

    /** A pool for {@code settings.workers()} workers made by {@code factory}; nothing starts until {@link #start}. */
    public WorkerPool(PoolSettings settings, WorkerFactory factory) {
        this.supervisor = new PoolSupervisor(slots, settings, factory, this);
    }

    @Override
    public String appName() {
        return supervisor.settings().app();
    }

    /** The pool's settings in force. */
    public PoolSettings settings() {
        return supervisor.settings();
    }

    /** Counters for the stats server and meters. */
    public PoolStats stats() {
        return supervisor.stats();
    }

    /** Requests its workers accepted and served themselves (the direct path), since the pool was created. */
    public synchronized long servedAlone() {
        return supervisor.servedAlone();
    }

    /** Spawns the workers; the result completes when all are ready, or with the first failed start. */
    public CompletableFuture<PoolOutcome> start() {
        CompletableFuture<PoolOutcome> result = new CompletableFuture<>();
        decide((now, actions) -> supervisor.start(result, now, actions));
        return result;
    }

    /**
     * Replaces every worker by one from {@code factory}, with {@code next} settings: new workers first, old ones
     * retired as the new ones become ready (all at once, or one by one when {@code chain}). If a new worker fails
     * to start while the old generation is serving, the replacement is abandoned and the old workers stay. The
     * result completes when every old worker is retired, or at the abandonment.
     */
    public CompletableFuture<PoolOutcome> replace(PoolSettings next, WorkerFactory factory, boolean chain) {
        CompletableFuture<PoolOutcome> result = new CompletableFuture<>();
        decide((now, actions) -> supervisor.replace(next, factory, chain, result, now, actions));
        return result;
    }

    /**
     * Applies new pool settings to the running workers (a reload that changed only those): the worker count moves
     * to {@code next.workers()} (within cheaper's bounds), surplus workers retire once idle, none is restarted.
     */
    public void retune(PoolSettings next) {
        decide((now, actions) -> supervisor.retune(next, now, actions));
    }

    @Override
    public void dispatch(Exchange exchange) {
        PoolSupervisor.Placement placed;
        synchronized (this) {
            placed = supervisor.place(exchange, System.nanoTime());
        }
        if (placed.worker() != null) {
            placed.worker().handle(exchange);
        } else if (placed == PoolSupervisor.Placement.REFUSED) {
            WebSocket.refuse(exchange.response(), "app '" + appName() + "' does not accept WebSocket connections "
                    + "(only ASGI apps do)");
        } else if (placed.retryAfter() > 0) {
            stats().rejected.increment();
            exchange.response().error(503, new Headers().add("Retry-After", Long.toString(placed.retryAfter())));
        }
    }

    @Override
    public void ready(Worker worker) {
        decide((now, actions) -> {
            supervisor.ready(worker, now, actions);
            notifyAll();
        });
    }

    @Override
    public synchronized void held(Worker worker, Exchange exchange) {
        slots.hold(worker, exchange);
    }

    @Override
    public synchronized void started(Worker worker, Exchange exchange) {
        slots.begin(worker, exchange, System.nanoTime());
    }

    @Override
    public void finished(Worker worker, Exchange exchange) {
        decide((now, actions) -> {
            supervisor.finished(worker, exchange, now, actions);
            notifyAll();
        });
    }

    @Override
    public void exited(Worker worker, int status, String detail) {
        decide((now, actions) -> {
            supervisor.exited(worker, status, detail, now, actions);
            notifyAll();
        });
    }

    /** One supervision step: the timed checks, then the worker count. */
    public void tick() {
        measureRss();
        decide(supervisor::tick);
    }

    /** Stops taking new work: idle workers stop now, busy ones once they and the queue are done. */
    public void stop() {
        decide(supervisor::stop);
    }

    /** Kills every worker now. */
    public void kill() {
        List<Worker> live;
        synchronized (this) {
            live = supervisor.killAll();
        }
        live.forEach(Worker::kill);
    }

    /** True when nothing is queued or running. */
    public synchronized boolean idle() {
        return slots.queued() == 0 && !slots.anyRunning();
    }

    /** Waits until the pool is idle or the deadline (nanoTime) passes; true if idle. */
    public synchronized boolean awaitIdle(long deadlineNanos) throws InterruptedException {
        return waitUntil(this::idle, deadlineNanos);
    }

    /** Waits until every worker has exited or the deadline passes, then closes the factories. True if all exited. */
    public boolean awaitExit(long deadlineNanos) throws InterruptedException {
        List<WorkerFactory> toClose;
        synchronized (this) {
            if (!waitUntil(slots::isEmpty, deadlineNanos)) {
                return false;
            }
            toClose = supervisor.closeFactories();
        }
        toClose.forEach(WorkerFactory::close);
        return true;
    }

    /** Exchanges waiting for a worker. */
    public synchronized int queued() {
        return slots.queued();
    }

    /** A snapshot of the pool and each live worker. */
    public synchronized PoolStatus status() {
        return supervisor.status(System.nanoTime());
    }

    /** A step of the supervisor's: it decides under the pool's lock and leaves the calls to make in the actions. */
    private interface Step {
        void decide(long now, PoolActions actions);
    }

    /** Runs {@code step} under the lock, then the calls it decided once the lock is released. */
    private void decide(Step step) {
        PoolActions actions = new PoolActions();
        synchronized (this) {
            step.decide(System.nanoTime(), actions);
        }
        actions.run();
    }

    /** Reads the ready workers' memory when due, outside the lock (reading /proc is I/O). */
    private void measureRss() {
        List<WorkerSlot> sample;
        synchronized (this) {
            sample = supervisor.rssSample(System.nanoTime());
        }
        for (WorkerSlot s : sample) {
            long rss = s.worker.rssBytes();
            synchronized (this) {
                s.measured(rss);
            }
        }
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
}
