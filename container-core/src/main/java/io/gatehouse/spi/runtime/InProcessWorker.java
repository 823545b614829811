package io.gatehouse.spi.runtime;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A worker that runs inside the master's JVM (threads or the I/O loop, no process of its own): its number, its
 * capacity, and an exit reported once however many paths (stop, kill, the last thread leaving) end it.
 */
public abstract class InProcessWorker implements Worker {
    private final int id;
    private final int capacity;
    private final AtomicBoolean exited = new AtomicBoolean();
    /** Where the worker reports to. */
    protected final WorkerEvents events;

    protected InProcessWorker(int id, int capacity, WorkerEvents events) {
        this.id = id;
        this.capacity = capacity;
        this.events = events;
    }

    @Override
    public final int id() {
        return id;
    }

    @Override
    public final long pid() {
        return -1;
    }

    @Override
    public final int capacity() {
        return capacity;
    }

    /** Reports {@link WorkerEvents#exited} the first time only. */
    protected final void reportExit(int status, String detail) {
        if (exited.compareAndSet(false, true)) {
            events.exited(this, status, detail);
        }
    }
}
