package io.gatehouse.core.pool;

import static io.gatehouse.core.pool.PoolFixture.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.testing.LocalExchangeServer;
import io.gatehouse.spi.exchange.Exchange;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Replacing a pool's workers by a new generation (graceful and chain), abandoning it, and retuning in place. */
class WorkerPoolReloadTest {
    @RegisterExtension
    final PoolFixture fixture = new PoolFixture();

    WorkerPool pool(FakeWorker.Factory factory, int workers) {
        return fixture.start(factory, settings(workers));
    }

    @Test
    void gracefulReplacementRetiresTheOldWorkersOnlyOnceEveryNewOneIsReady() throws Exception {
        FakeWorker.Factory old = new FakeWorker.Factory(1);
        WorkerPool pool = pool(old, 2);
        FakeWorker.Factory fresh = new FakeWorker.Factory(1);
        fresh.holdBoot = true;
        CompletableFuture<PoolOutcome> done = pool.replace(settings(2), fresh, false);
        assertEquals(2, fresh.made.size(), "the whole new generation boots at once");
        fresh.made.get(0).boot();
        assertEquals(2, old.live(), "one new worker ready is not enough to retire any old one");
        assertFalse(done.isDone());
        fresh.made.get(1).boot();
        assertEquals(0, old.live());
        assertTrue(done.get().ok(), done.get().detail());
        assertEquals(2, pool.status().generation());
        assertEquals(List.of(2, 2), pool.status().workers().stream().map(WorkerStatus::generation).toList());
    }

    @Test
    void chainReplacementRetiresOneOldWorkerPerNewReadyWorker() throws Exception {
        FakeWorker.Factory old = new FakeWorker.Factory(1);
        WorkerPool pool = pool(old, 3);
        FakeWorker.Factory fresh = new FakeWorker.Factory(1);
        fresh.holdBoot = true;
        CompletableFuture<PoolOutcome> done = pool.replace(settings(3), fresh, true);
        for (int i = 0; i < 3; i++) {
            assertEquals(i + 1, fresh.made.size(), "one new worker boots at a time");
            assertEquals(3 - i, old.live());
            fresh.made.get(i).boot();
            assertEquals(2 - i, old.live(), "each ready new worker retires one old one");
        }
        assertTrue(done.get().ok());
    }

    @Test
    void anExchangeRunningOnAnOldWorkerFinishesAndNewOnesGoToTheNewGeneration() throws Exception {
        FakeWorker.Factory old = new FakeWorker.Factory(1);
        WorkerPool pool = pool(old, 1);
        LocalExchangeServer.Client running = fixture.send("/running");
        Exchange inFlight = old.last().take();
        FakeWorker.Factory fresh = new FakeWorker.Factory(1);
        assertTrue(pool.replace(settings(1), fresh, false).get().ok());
        assertFalse(old.last().calls.contains("stop"), "a busy old worker stops only after its exchange");
        LocalExchangeServer.Client next = fixture.send("/next");
        fresh.last().answer(fresh.last().take());
        assertEquals(200, next.answer().status());
        old.last().answer(inFlight);
        assertEquals(200, running.answer().status());
        assertTrue(old.last().calls.contains("stop"));
    }

    @Test
    void aNewWorkerThatFailsToStartAbandonsTheReplacementAndTheOldWorkersStay() throws Exception {
        FakeWorker.Factory old = new FakeWorker.Factory(1);
        WorkerPool pool = pool(old, 2);
        FakeWorker.Factory broken = new FakeWorker.Factory(1);
        broken.holdBoot = true;
        CompletableFuture<PoolOutcome> done = pool.replace(settings(4), broken, false);
        broken.made.get(0).boot();
        broken.made.get(1).failBoot("SyntaxError: invalid syntax");
        PoolOutcome outcome = done.get();
        assertFalse(outcome.ok());
        assertTrue(outcome.detail().contains("SyntaxError"), outcome.detail());
        assertEquals(2, old.live(), "the previous workers keep serving");
        assertTrue(broken.made.get(0).calls.contains("stop"), "the new worker that did start is retired");
        assertEquals(2, pool.settings().workers(), "the previous settings are back");
        assertEquals("ready", pool.status().state());
        LocalExchangeServer.Client c = fixture.send("/");
        FakeWorker w = old.made.get(0);
        w.answer(w.take());
        assertEquals(200, c.answer().status());
    }

    @Test
    void retuneGrowsAndShrinksWithoutRestartingAWorker() {
        FakeWorker.Factory f = new FakeWorker.Factory(1);
        WorkerPool pool = pool(f, 2);
        pool.retune(settings(4));
        assertEquals(4, f.made.size());
        assertEquals(4, f.live());
        pool.retune(settings(1));
        assertEquals(1, f.live());
        assertEquals(4, f.made.size(), "nothing new was spawned");
        assertEquals(1, pool.status().workers().size());
    }

    @Test
    void stopServesTheQueueBeforeTheWorkersStop() throws Exception {
        FakeWorker.Factory f = new FakeWorker.Factory(1);
        WorkerPool pool = pool(f, 1);
        LocalExchangeServer.Client a = fixture.send("/a");
        FakeWorker w = f.last();
        Exchange first = w.take();
        LocalExchangeServer.Client b = fixture.send("/b");
        PoolFixture.awaitQueued(pool, 1);
        pool.stop();
        assertFalse(w.calls.contains("stop"));
        w.answer(first);
        w.answer(w.take());
        assertEquals(200, a.answer().status());
        assertEquals(200, b.answer().status(), "the queued exchange was served, not dropped");
        assertTrue(w.calls.contains("stop"));
    }
}
