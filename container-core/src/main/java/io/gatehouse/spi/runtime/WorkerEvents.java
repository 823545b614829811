package io.gatehouse.spi.runtime;

import io.gatehouse.spi.exchange.Exchange;

/** How a worker reports back to its pool; callable from any thread. */
public interface WorkerEvents {

    /** The worker has loaded the app and takes exchanges. */
    void ready(Worker worker);

    /**
     * The worker holds {@code exchange} behind others it runs instead of starting it at once: its harakiri clock
     * stops, and if the worker exits before starting it, the pool gives it to another worker instead of failing it.
     * A handed-over exchange counts as started unless its worker says this.
     */
    void held(Worker worker, Exchange exchange);

    /** An exchange the worker {@linkplain #held held} starts now: its harakiri clock starts here. */
    void started(Worker worker, Exchange exchange);

    /** The worker is done with {@code exchange} and has that capacity free again. */
    void finished(Worker worker, Exchange exchange);

    /** The worker is gone; {@code status} is its exit status ({@link Worker#BOOT_FAILED} for import errors). */
    void exited(Worker worker, int status, String detail);
}
