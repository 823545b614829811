package io.gatehouse.core.pool;

import io.gatehouse.spi.runtime.WorkerFactory;

/** The workers made by one factory: the pool's first, then one more each time a reload replaces them. */
final class Generation {
    final int number;
    final WorkerFactory factory;
    /** Live workers of this generation. Guarded by the pool. */
    int live;
    boolean closed;

    Generation(int number, WorkerFactory factory) {
        this.number = number;
        this.factory = factory;
    }
}
