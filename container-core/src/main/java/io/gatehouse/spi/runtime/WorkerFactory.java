package io.gatehouse.spi.runtime;

/** Makes the workers of one app; made by its runtime once per app generation. */
public interface WorkerFactory extends AutoCloseable {

    /** A new, not yet started worker for place {@code id}, reporting to {@code events}. */
    Worker create(int id, WorkerEvents events);

    /** Releases what the factory holds (class loaders, fork servers) once every worker has exited. */
    @Override
    default void close() {
    }
}
