package io.gatehouse.spi.runtime;

import io.gatehouse.spi.exchange.Exchange;

/**
 * One supervised unit of an app's capacity: a set of JVM threads, a CPython process, a CGI slot. The pool decides
 * what it runs and when it is replaced; the worker reports back through the {@link WorkerEvents} it was made with.
 */
public interface Worker {

    /** Exit status reported when a worker could not load the app (an import error): respawn backs off. */
    int BOOT_FAILED = 78;

    /**
     * The worker's number within its pool (1-based): unique among the pool's live workers (a reload's new generation
     * gets numbers its old one does not hold), reused once its worker has exited. Names derived from it (sockets,
     * files) must also hold the pid or another counter if they may outlive the worker.
     */
    int id();

    /** The OS process id, or -1 for in-process workers. */
    long pid();

    /** How many exchanges it runs at once (its threads). */
    int capacity();

    /**
     * Begins booting without blocking the caller (the master's loop); reports {@link WorkerEvents#ready}, or
     * {@link WorkerEvents#exited} with {@link #BOOT_FAILED} when the app cannot load (backoff follows).
     */
    void start();

    /**
     * Runs one exchange; reports {@link WorkerEvents#finished} exactly once when the capacity is free again. A worker
     * that holds it behind others it runs first reports {@link WorkerEvents#held}, then {@link WorkerEvents#started}.
     */
    void handle(Exchange exchange);

    /** Finishes what it runs, then exits (reports {@link WorkerEvents#exited}). */
    void stop();

    /** Exits now; in-flight exchanges are failed by the pool. */
    void kill();

    /**
     * Ends an exchange that ran past harakiri (the pool has already answered it). The default kills the worker;
     * in-process workers abandon the stuck thread instead and report it finished.
     */
    default void harakiri(Exchange overdue) {
        kill();
    }

    /**
     * Requests it served alone, never handed to it by the pool: those its process accepted itself (the direct path,
     * {@link DirectListener}). They count toward max-requests.
     */
    default long servedAlone() {
        return 0;
    }

    /** Resident memory in bytes, or -1 when unknown. */
    default long rssBytes() {
        return -1;
    }
}
