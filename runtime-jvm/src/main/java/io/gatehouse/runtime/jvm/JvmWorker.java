package io.gatehouse.runtime.jvm;

import io.gatehouse.app.App;
import io.gatehouse.spi.exchange.Exchange;
import io.gatehouse.spi.runtime.InProcessWorker;
import io.gatehouse.spi.runtime.WorkerEvents;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * An in-process worker: {@code threads} threads taking exchanges from an inbox the pool keeps within capacity.
 * It boots on a thread of its own (loading the app if no worker of its generation has yet), so a slow or failing
 * {@code init} never blocks the master; a failure is reported as a failed start. A thread can't be killed safely,
 * so harakiri abandons the stuck thread (interrupting it, ignoring whatever it does later) and starts a fresh one
 * in its place. A non-blocking app's requests whose bodies have arrived run on the I/O thread that dispatched them,
 * with no hand-off: no queue, no wake-up of a parked thread, and the response written straight to the socket.
 */
final class JvmWorker extends InProcessWorker {
    private static final long POLL_MILLIS = 200;
    /**
     * The most a thread that finds the inbox empty yields before it parks. Under load the I/O thread refills the
     * inbox within a few yields, so the thread goes on without parking, and the I/O thread is spared the futex
     * wake-up (and the preemption by the woken thread) that each park costs it.
     */
    private static final int MAX_YIELDS = 16;

    private final int threads;
    private final String appName;
    private final Callable<JvmWorkerFactory.Loaded> loader;
    private final boolean nonBlocking;
    private volatile App app;
    private volatile ClassLoader appLoader;
    private final ThreadFactory threadFactory;
    private final LinkedBlockingQueue<Exchange> inbox = new LinkedBlockingQueue<>();
    private final Map<Exchange, Thread> runningOn = new ConcurrentHashMap<>();
    private final Set<Thread> live = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;

    JvmWorker(int id, int threads, String appName, Callable<JvmWorkerFactory.Loaded> loader, boolean nonBlocking,
            WorkerEvents events, ThreadFactory threadFactory) {
        super(id, threads, events);
        this.threads = threads;
        this.appName = appName;
        this.loader = loader;
        this.nonBlocking = nonBlocking;
        this.threadFactory = threadFactory;
    }

    @Override
    public void start() {
        threadFactory.newThread(this::boot).start();
    }

    private void boot() {
        try {
            JvmWorkerFactory.Loaded loaded = loader.call();
            appLoader = loaded.loader();
            app = loaded.app();
        } catch (Throwable t) {
            reportExit(BOOT_FAILED, t.toString());
            return;
        }
        if (stopping) {
            reportExit(0, "stopped before it was ready");
            return;
        }
        for (int i = 0; i < threads; i++) {
            spawnThread();
        }
        events.ready(this);
    }

    @Override
    public void handle(Exchange exchange) {
        if (nonBlocking && exchange.eventLoop().inEventLoop() && exchange.body().complete()) {
            runInline(exchange);
        } else {
            inbox.add(exchange);
        }
    }

    /** Runs on the I/O thread: reading the body can't block (it has arrived), and writes never wait for the socket. */
    private void runInline(Exchange exchange) {
        Thread self = Thread.currentThread();
        ClassLoader previous = self.getContextClassLoader();
        self.setContextClassLoader(appLoader);
        try {
            JvmCall.run(app, appName, exchange);
        } finally {
            self.setContextClassLoader(previous);
        }
        events.finished(this, exchange);
    }

    @Override
    public void stop() {
        stopping = true;
        if (live.isEmpty()) {
            reportExit(0, "stopped");
        }
    }

    @Override
    public void kill() {
        stopping = true;
        inbox.clear();
        for (Thread t : live) {
            t.interrupt();
        }
        live.clear();
        runningOn.clear();
        reportExit(137, "killed");
    }

    @Override
    public void harakiri(Exchange overdue) {
        Thread stuck = runningOn.remove(overdue);
        if (stuck == null) {
            return;
        }
        live.remove(stuck);
        stuck.interrupt();
        if (!stopping) {
            spawnThread();
        }
        events.finished(this, overdue);
    }

    /**
     * One thread's way of waiting for the next exchange: a few yields, then a park. A thread yields only after it
     * has seen a backlog (exchanges left in the inbox behind the one it took), the sign that the I/O thread is
     * dispatching faster than the pool takes; the allowance halves with every yielding that found nothing. With one
     * request at a time the pool parks at once, as a yield there only keeps a core busy.
     */
    private final class Waiter {
        private int yields;

        /** The next exchange, or null after {@link #POLL_MILLIS} without one (so the thread can see it should stop). */
        Exchange next() throws InterruptedException {
            Exchange exchange = inbox.poll();
            int spent = 0;
            while (exchange == null && spent < yields) {
                Thread.yield();
                spent++;
                exchange = inbox.poll();
            }
            if (exchange == null) {
                yields /= 2;
                exchange = inbox.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
            }
            if (exchange != null && !inbox.isEmpty()) {
                yields = MAX_YIELDS;
            }
            return exchange;
        }
    }

    private void spawnThread() {
        Thread t = threadFactory.newThread(this::serve);
        live.add(t);
        t.start();
    }

    private void serve() {
        Thread self = Thread.currentThread();
        Waiter waiter = new Waiter();
        try {
            while (live.contains(self) && !(stopping && inbox.isEmpty())) {
                Exchange exchange = waiter.next();
                if (exchange == null) {
                    continue;
                }
                runningOn.put(exchange, self);
                JvmCall.run(app, appName, exchange);
                if (runningOn.remove(exchange) == null) {
                    return;
                }
                events.finished(this, exchange);
            }
        } catch (InterruptedException e) {
            // abandoned by harakiri or killed: the pool has already accounted for this thread
        } finally {
            if (live.remove(self) && stopping && live.isEmpty()) {
                reportExit(0, "stopped");
            }
        }
    }
}
