package io.gatehouse.core.pool;

import io.gatehouse.spi.exchange.Exchange;
import io.gatehouse.spi.runtime.Worker;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** One live worker of a pool: its generation, its state and the exchanges it runs. Guarded by the pool. */
final class WorkerSlot {
    enum State { STARTING, READY, STOPPING }

    /** The start time recorded for an exchange its worker holds behind others and has not started. */
    static final long HELD = Long.MIN_VALUE;

    final Worker worker;
    final Generation generation;
    final long spawnedNanos;
    State state = State.STARTING;
    /** Exchanges handed to the worker with the time (nanoTime) each started, or {@link #HELD}, in the order handed. */
    final Map<Exchange, Long> running = new LinkedHashMap<>();
    /** Exchanges already answered by harakiri, so the check does not fire twice. */
    final Map<Exchange, Boolean> overdue = new IdentityHashMap<>();
    long served;
    long busyNanos;
    long idleSinceNanos;
    long stopRequestedNanos;
    long rssBytes = -1;
    /** Takes no new exchanges; stops once its running ones are done. */
    boolean retiring;
    /** Killed for not becoming ready within boot-timeout. */
    boolean bootTimedOut;

    WorkerSlot(Worker worker, Generation generation, long now) {
        this.worker = worker;
        this.generation = generation;
        this.spawnedNanos = now;
        this.idleSinceNanos = now;
    }

    int id() {
        return worker.id();
    }

    /** Starting or ready and not on its way out. */
    boolean serving() {
        return state != State.STOPPING && !retiring;
    }

    int free() {
        return state == State.READY && !retiring ? worker.capacity() - running.size() : 0;
    }

    String stateName() {
        return state == State.READY && retiring ? "retiring" : state.name().toLowerCase(java.util.Locale.ROOT);
    }
}
