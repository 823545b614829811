package io.gatehouse.core.pool;

import java.util.concurrent.atomic.LongAdder;

/** Counters of one pool since it started. */
public final class PoolStats {
    /** Exchanges a worker finished. */
    public final LongAdder served = new LongAdder();
    /** Exchanges answered 503 because the queue was full or the app could not boot. */
    public final LongAdder rejected = new LongAdder();
    /** Exchanges ended by harakiri. */
    public final LongAdder harakiris = new LongAdder();
    /** Workers respawned after exiting. */
    public final LongAdder respawns = new LongAdder();
}
