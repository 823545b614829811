package io.gatehouse.core.pool;

import static io.gatehouse.core.pool.PoolFixture.ready;
import static io.gatehouse.core.pool.PoolFixture.starting;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What each step of a rollout decides: which old workers retire, and when it is done. */
class RolloutTest {
    @RegisterExtension
    final PoolFixture fixture = new PoolFixture();

    final Generation old = new Generation(1, null);
    final Generation fresh = new Generation(2, null);
    final Slots slots = new Slots();

    Rollout rollout(boolean chain) {
        return new Rollout(old, fresh, PoolFixture.settings(3), 3, chain, false, new CompletableFuture<>());
    }

    @Test
    void gracefulRetiresNoOldWorkerUntilTheWholeNewSetIsReady() {
        Rollout graceful = rollout(false);
        WorkerSlot a = ready(slots, 1, old);
        WorkerSlot b = ready(slots, 2, old);
        ready(slots, 3, fresh);
        WorkerSlot booting = starting(slots, 4, fresh);
        assertEquals(new Rollout.Step(List.of(), false, 1), graceful.step(slots, 2));
        booting.becomeReady(0);
        Rollout.Step step = graceful.step(slots, 2);
        assertEquals(List.of(a, b), step.retire());
        assertTrue(step.done(), "no old worker is left serving once these retire");
    }

    @Test
    void chainRetiresOneOldWorkerPerReadyNewOne() {
        Rollout chain = rollout(true);
        WorkerSlot a = ready(slots, 1, old);
        WorkerSlot b = ready(slots, 2, old);
        ready(slots, 3, old);
        ready(slots, 4, fresh);
        assertEquals(List.of(a), chain.step(slots, 3).retire());
        a.retire();
        assertEquals(List.of(), chain.step(slots, 3).retire(), "the retiring one no longer counts");
        ready(slots, 5, fresh);
        assertEquals(List.of(b), chain.step(slots, 3).retire());
    }

    @Test
    void bootingOldWorkersRetireFirstThenIdleOnesThenBusyOnes() throws Exception {
        WorkerSlot busy = ready(slots, 1, old);
        busy.run(fixture.exchange("/busy"), 0);
        WorkerSlot idle = ready(slots, 2, old);
        WorkerSlot booting = starting(slots, 3, old);
        ready(slots, 4, fresh);
        ready(slots, 5, fresh);
        Rollout.Step step = rollout(true).step(slots, 3);
        assertEquals(List.of(booting, idle), step.retire(), "two new ready of three: one old may stay");
        assertFalse(step.done());
    }

    @Test
    void gracefulBootsTheWholeNewSetAtOnceAndChainOneWorker() {
        assertEquals(3, rollout(false).surge(3));
        assertEquals(1, rollout(false).surge(0), "at least one");
        assertEquals(1, rollout(true).surge(3));
    }

    @Test
    void onlyANewWorkerFailingToStartSinksIt() {
        Rollout forward = rollout(false);
        assertTrue(forward.sunkBy(starting(slots, 1, fresh)));
        assertFalse(forward.sunkBy(starting(slots, 2, old)));
        Rollout back = forward.reversed();
        assertEquals(old, back.to());
        assertFalse(back.sunkBy(starting(slots, 3, old)), "putting the previous workers back is never abandoned");
    }
}
