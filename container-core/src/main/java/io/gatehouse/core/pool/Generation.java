package io.gatehouse.core.pool;

import io.gatehouse.spi.runtime.WorkerFactory;

/** The workers made by one factory: the pool's first, then one more each time a reload replaces them. */
final class Generation {
    final int number;
    final WorkerFactory factory;
    /** Its factory is closed (or about to be): no worker of it is left or will be made. Guarded by the pool. */
    private boolean closed;

    Generation(int number, WorkerFactory factory) {
        this.number = number;
        this.factory = factory;
    }

    boolean closed() {
        return closed;
    }

    /** Marks it closed; true the first time, when the caller is to close the factory (after the pool's lock). */
    boolean close() {
        boolean first = !closed;
        closed = true;
        return first;
    }
}
