package io.gatehouse.core.pool;

import java.util.concurrent.atomic.LongAdder;

/** Counters of one pool since it was created; they carry on across reloads of the app. */
public final class PoolStats {
    /** Exchanges a worker finished. */
    public final LongAdder served = new LongAdder();
    /** Exchanges answered 503 because the queue was full or the app could not boot. */
    public final LongAdder rejected = new LongAdder();
    /** Exchanges ended by harakiri. */
    public final LongAdder harakiris = new LongAdder();
    /** Workers that died without being asked to (crashes, kills, harakiri) and were replaced. */
    public final LongAdder respawns = new LongAdder();
    /** Workers recycled after max-requests or over reload-on-rss. */
    public final LongAdder recycles = new LongAdder();
    /** Workers that exited before they were ready (the app failed to load). */
    public final LongAdder failedStarts = new LongAdder();
    /** Requests served alone (the direct path) by workers that have exited; the live ones keep their own count. */
    final LongAdder servedAloneByGone = new LongAdder();
}
