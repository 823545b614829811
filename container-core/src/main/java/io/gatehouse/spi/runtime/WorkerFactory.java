package io.gatehouse.spi.runtime;

/** Makes the workers of one app; made by its runtime once per app generation. */
public interface WorkerFactory extends AutoCloseable {

    /** A new, not yet started worker for place {@code id}, reporting to {@code events}. */
    Worker create(int id, WorkerEvents events);

    /**
     * Whether its workers can carry a WebSocket ({@code Exchange.websocket()}); the pool refuses a handshake for an
     * app whose factory cannot, with 400 and the reason, before it takes a worker.
     */
    default boolean acceptsWebSocket() {
        return false;
    }

    /** Releases what the factory holds (class loaders, fork servers) once every worker has exited. */
    @Override
    default void close() {
    }
}
