package io.gatehouse.runtime.python;

import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Watches a worker that takes connections itself (the direct path) through its scoreboard, every 200 ms. A worker
 * ends a request that runs past harakiri itself (with 504); one that has not a second later, its interpreter held by
 * a thread that never lets go, is killed. It also tells the heartbeat whether the worker was busy alone, when its
 * lanes read no PING.
 */
final class PythonAlone implements Runnable {
    private static final long PERIOD_MILLIS = 200;
    /** How long after harakiri a worker that did not end its request itself is killed. */
    private static final long GRACE_NANOS = 1_000_000_000L;

    private final PythonWorkerDirect worker;
    private final PythonBoard board;
    private final long harakiriNanos;
    private final ScheduledFuture<?> task;
    /** Guarded by this: requests served alone when last seen, and whether any ran since the heartbeat asked. */
    private long served;
    private boolean busy;
    private boolean killed;

    private PythonAlone(PythonWorkerDirect worker, PythonBoard board, Duration harakiri, EventLoop timers) {
        this.worker = worker;
        this.board = board;
        this.harakiriNanos = harakiri == null ? 0 : harakiri.toNanos();
        this.task = timers.scheduleAtFixedRate(this, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Starts watching {@code worker}'s {@code board}. */
    static PythonAlone start(PythonWorkerDirect worker, PythonBoard board, Duration harakiri, EventLoop timers) {
        return new PythonAlone(worker, board, harakiri, timers);
    }

    void cancel() {
        task.cancel(false);
    }

    /** Whether the worker served or serves requests alone since the last call. */
    synchronized boolean busySinceLastAsked() {
        look();
        boolean was = busy;
        busy = false;
        return was || anyBusy();
    }

    @Override
    public void run() {
        String overdue = null;
        long now = System.nanoTime();
        synchronized (this) {
            look();
            if (harakiriNanos <= 0 || killed) {
                return;
            }
            for (int slot = 0; slot < board.slots() && overdue == null; slot++) {
                long since = board.busySince(slot);
                if (since != 0 && now - since > harakiriNanos + GRACE_NANOS) {
                    overdue = board.line(slot);
                }
            }
            killed = overdue != null;
        }
        if (overdue != null) {
            worker.overdue(overdue, harakiriNanos / 1_000_000);
        }
    }

    private void look() {
        long n = board.served();
        if (n != served || anyBusy()) {
            busy = true;
        }
        served = n;
    }

    private boolean anyBusy() {
        for (int slot = 0; slot < board.slots(); slot++) {
            if (board.busySince(slot) != 0) {
                return true;
            }
        }
        return false;
    }
}
