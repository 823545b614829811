package io.gatehouse.core.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.spi.exchange.Exchange;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The questions the pool asks its slots, and the hand-offs between the queue and the workers. */
class SlotsTest {
    @RegisterExtension
    final PoolFixture fixture = new PoolFixture();

    final Generation first = new Generation(1, null);
    final Generation second = new Generation(2, null);
    final Slots slots = new Slots();

    WorkerSlot starting(int id, Generation g) {
        return PoolFixture.starting(slots, id, g);
    }

    WorkerSlot ready(int id, Generation g) {
        return PoolFixture.ready(slots, id, g);
    }

    @Test
    void countsTheWorkersOfAGenerationByState() {
        WorkerSlot booting = starting(1, first);
        WorkerSlot up = ready(2, first);
        ready(3, first).retire();
        ready(4, first).stop(0);
        ready(5, second);
        assertEquals(2, slots.ready(first), "ready, retiring or not");
        assertEquals(1, slots.accepting(first), "ready and not retiring");
        assertEquals(2, slots.serving(first), "starting or ready, not on the way out");
        assertEquals(1, slots.starting(first));
        assertEquals(4, slots.live(first));
        assertEquals(List.of(booting, up), slots.stale(second), "what a rollout to the second generation replaces");
        assertTrue(slots.anyAccepting());
    }

    @Test
    void leastBusyIsTheWorkerWithRoomRunningFewestThenTheLowestNumbered() throws Exception {
        WorkerSlot three = ready(3, first);
        WorkerSlot one = ready(1, first);
        WorkerSlot two = ready(2, first);
        assertSame(one, slots.leastBusy(), "all idle");
        one.run(fixture.exchange("/a"), 0);
        assertSame(two, slots.leastBusy());
        two.run(fixture.exchange("/b"), 0);
        three.run(fixture.exchange("/c"), 0);
        assertSame(one, slots.leastBusy(), "one each");
        one.run(fixture.exchange("/d"), 0);
        two.run(fixture.exchange("/e"), 0);
        three.retire();
        assertNull(slots.leastBusy(), "two full, one retiring");
    }

    @Test
    void freeIdIsTheLowestIdNoLiveWorkerHas() {
        WorkerSlot one = ready(1, first);
        ready(2, first);
        ready(4, second);
        assertEquals(3, slots.freeId());
        slots.remove(one.worker);
        assertEquals(1, slots.freeId());
    }

    @Test
    void idlestIsTheHighestNumberedWorkerIdleLongEnough() throws Exception {
        ready(1, first);
        WorkerSlot two = ready(2, first);
        ready(3, first).run(fixture.exchange("/busy"), 0);
        ready(4, first).retire();
        ready(5, second);
        assertSame(two, slots.idlest(first, 100, 100), "idle since 0; 3 is busy, 4 retiring, 5 of another generation");
        assertNull(slots.idlest(first, 99, 100), "not idle long enough yet");
    }

    @Test
    void theSurplusIsTheIdleWorkersFirstHighestNumberedFirstThenTheBusyOnes() throws Exception {
        WorkerSlot one = ready(1, first);
        WorkerSlot two = ready(2, first);
        WorkerSlot three = ready(3, first);
        WorkerSlot four = ready(4, first);
        one.run(fixture.exchange("/a"), 0);
        four.run(fixture.exchange("/b"), 0);
        assertEquals(List.of(three, two, one), slots.surplus(first, 1));
        assertEquals(List.of(), slots.surplus(first, 4));
    }

    @Test
    void aDeadWorkersHeldExchangesGoBackToTheFrontOfTheQueueInOrderAndTheRestGet502() throws Exception {
        WorkerSlot dead = ready(1, first);
        Exchange begun = fixture.exchange("/begun");
        Exchange heldFirst = fixture.exchange("/held-1");
        Exchange heldSecond = fixture.exchange("/held-2");
        for (Exchange e : List.of(begun, heldFirst, heldSecond)) {
            dead.run(e, 0);
        }
        dead.hold(heldFirst);
        dead.hold(heldSecond);
        slots.enqueue(fixture.exchange("/queued"));
        slots.remove(dead.worker);
        WorkerSlot other = ready(2, first);
        PoolActions actions = new PoolActions();
        slots.requeueFront(dead, false, actions);
        actions.run();
        assertEquals(502, fixture.answer(begun).status());
        FakeWorker next = (FakeWorker) other.worker;
        assertSame(heldFirst, next.take());
        assertSame(heldSecond, next.take());
        assertEquals(1, slots.queued(), "the one queued before waits behind them");
    }

    @Test
    void aDeadWorkersExchangesAllGet502WhenThePoolStops() throws Exception {
        WorkerSlot dead = ready(1, first);
        Exchange begun = fixture.exchange("/begun");
        Exchange held = fixture.exchange("/held");
        dead.run(begun, 0);
        dead.run(held, 0);
        dead.hold(held);
        slots.remove(dead.worker);
        PoolActions actions = new PoolActions();
        slots.requeueFront(dead, true, actions);
        actions.run();
        assertEquals(502, fixture.answer(begun).status());
        assertEquals(502, fixture.answer(held).status());
        assertEquals(0, slots.queued());
    }
}
