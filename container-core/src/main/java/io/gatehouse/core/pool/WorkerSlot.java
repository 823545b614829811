package io.gatehouse.core.pool;

import io.gatehouse.core.exchange.Exchange;
import java.util.IdentityHashMap;
import java.util.Map;

/** One worker place of a pool: the worker filling it now, its state, and the exchanges it runs. Guarded by the pool. */
final class WorkerSlot {
    enum State { EMPTY, STARTING, READY, STOPPING }

    final int id;
    Worker worker;
    State state = State.EMPTY;
    /** Exchanges running on the worker, with their start time (nanoTime). */
    final Map<Exchange, Long> running = new IdentityHashMap<>();
    /** Exchanges already answered by harakiri, so the check does not fire twice. */
    final Map<Exchange, Boolean> overdue = new IdentityHashMap<>();
    long served;
    long spawnedNanos;
    long stopRequestedNanos;
    long respawnAtNanos;
    boolean everReady;
    boolean retiring;

    WorkerSlot(int id) {
        this.id = id;
    }

    boolean holds(Worker w) {
        return worker == w && w != null;
    }

    boolean live() {
        return state != State.EMPTY;
    }

    int free() {
        return state == State.READY && !retiring ? worker.capacity() - running.size() : 0;
    }

    void filled(Worker w, long now) {
        worker = w;
        state = State.STARTING;
        running.clear();
        overdue.clear();
        served = 0;
        spawnedNanos = now;
        everReady = false;
        retiring = false;
    }

    void emptied() {
        worker = null;
        state = State.EMPTY;
        running.clear();
        overdue.clear();
    }
}
