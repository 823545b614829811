package io.gatehouse.core.pool;

import static io.gatehouse.core.pool.PoolFixture.ready;
import static io.gatehouse.core.pool.PoolFixture.starting;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** How many workers the pool spawns: up to its target, one probe while crashing, the surge while reloading. */
class PoolStaffingTest {
    static final long SECOND = 1_000_000_000L;

    final Slots slots = new Slots();
    final BootBackoff backoff = new BootBackoff();
    final PoolStaffing staffing = new PoolStaffing(PoolFixture.settings(3), new FakeWorker.Factory(1));

    @Test
    void spawnsWhatTheTargetLacksCountingStartingWorkersButNotRetiringOnes() {
        ready(slots, 1, staffing.current());
        starting(slots, 2, staffing.current());
        ready(slots, 3, staffing.current()).retire();
        assertEquals(1, staffing.toSpawn(slots, backoff, 0));
        ready(slots, 4, staffing.current());
        assertEquals(0, staffing.toSpawn(slots, backoff, 0));
    }

    @Test
    void whileTheAppFailsToStartOneWorkerProbesOnceTheBackoffAllows() {
        backoff.failed(0, "ImportError");
        assertEquals(0, staffing.toSpawn(slots, backoff, SECOND - 1));
        assertEquals(1, staffing.toSpawn(slots, backoff, SECOND), "one, not the three the target lacks");
        starting(slots, 1, staffing.current());
        assertEquals(0, staffing.toSpawn(slots, backoff, SECOND), "one probe at a time");
    }

    @Test
    void aChainReloadBootsOneNewWorkerAtATime() {
        ready(slots, 1, staffing.current());
        staffing.reload(PoolFixture.settings(3), new FakeWorker.Factory(1), true, new CompletableFuture<>());
        assertEquals(1, staffing.toSpawn(slots, backoff, 0));
        starting(slots, 2, staffing.current());
        assertEquals(0, staffing.toSpawn(slots, backoff, 0));
    }
}
