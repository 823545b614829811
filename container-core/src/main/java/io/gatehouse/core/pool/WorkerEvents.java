package io.gatehouse.core.pool;

import io.gatehouse.core.exchange.Exchange;

/** How a worker reports back to its pool; callable from any thread. */
public interface WorkerEvents {

    /** The worker has loaded the app and takes exchanges. */
    void ready(Worker worker);

    /** An exchange handed over ahead of time (while others ran) begins now: its harakiri clock starts here. */
    void began(Worker worker, Exchange exchange);

    /** The worker is done with {@code exchange} and has that capacity free again. */
    void finished(Worker worker, Exchange exchange);

    /** The worker is gone; {@code status} is its exit status ({@link Worker#BOOT_FAILED} for import errors). */
    void exited(Worker worker, int status, String detail);
}
