package io.gatehouse.core.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.testing.LocalExchangeServer;
import io.gatehouse.spi.exchange.Exchange;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Cheaper, reload-on-rss, boot-timeout and the crashing state. */
class WorkerPoolSupervisionTest {
    @RegisterExtension
    final PoolFixture fixture = new PoolFixture();

    static PoolSettings cheaper(int workers, int min, int max, int step, Duration idle) {
        return new PoolSettings("app", workers, 10, Duration.ZERO, 0, 0, Duration.ofSeconds(5),
                Duration.ofSeconds(60), new PoolSettings.Cheaper(min, max, step, idle));
    }

    static PoolSettings reloadOnRss(long bytes) {
        return new PoolSettings("app", 1, 10, Duration.ZERO, 0, bytes, Duration.ofSeconds(5));
    }

    @Test
    void cheaperSpawnsStepWorkersWhileRequestsQueueUpToMax() throws Exception {
        FakeWorker.Factory f = new FakeWorker.Factory(1);
        WorkerPool pool = fixture.start(f, cheaper(1, 1, 3, 2, Duration.ofSeconds(30)));
        for (int i = 0; i < 5; i++) {
            fixture.send("/" + i);
        }
        PoolFixture.awaitQueued(pool, 4);
        pool.tick();
        assertEquals(3, f.made.size(), "1 + step 2, and the new ones took queued exchanges");
        pool.tick();
        assertEquals(3, f.made.size(), "never above max 3");
        assertEquals(3, pool.status().target());
    }

    @Test
    void cheaperRetiresAWorkerIdleForTheIdleTimeDownToMin() throws Exception {
        FakeWorker.Factory f = new FakeWorker.Factory(1);
        WorkerPool pool = fixture.start(f, cheaper(3, 2, 4, 1, Duration.ofMillis(100)));
        LocalExchangeServer.Client c = fixture.send("/");
        Exchange e = f.made.get(0).take();
        Thread.sleep(150);
        pool.tick();
        assertEquals(2, pool.status().workers().size(), "worker 3, idle, is retired");
        assertTrue(f.made.get(2).calls.contains("stop"));
        pool.tick();
        assertEquals(2, pool.status().workers().size(), "never below min 2");
        f.made.get(0).answer(e);
        assertEquals(200, c.answer().status());
    }

    @Test
    void aWorkerOverReloadOnRssIsReplacedBeforeItStops() throws Exception {
        FakeWorker.Factory f = new FakeWorker.Factory(1);
        WorkerPool pool = fixture.start(f, reloadOnRss(1000));
        FakeWorker fat = f.last();
        fat.rss = 1001;
        pool.tick();
        assertEquals(2, f.made.size(), "the replacement is spawned at once");
        assertTrue(fat.calls.contains("stop"));
        assertEquals(1, pool.stats().recycles.sum());
    }

    @Test
    void aWorkerAtReloadOnRssExactlyIsKept() {
        FakeWorker.Factory f = new FakeWorker.Factory(1);
        WorkerPool pool = fixture.start(f, reloadOnRss(1000));
        f.last().rss = 1000;
        pool.tick();
        assertEquals(1, f.made.size());
    }

    @Test
    void aWorkerNotReadyWithinBootTimeoutIsKilledAndCountsAsAFailedStart() throws Exception {
        FakeWorker.Factory f = new FakeWorker.Factory(1);
        f.holdBoot = true;
        WorkerPool pool = fixture.start(f, new PoolSettings("app", 1, 10, Duration.ZERO, 0, 0, Duration.ofSeconds(5),
                Duration.ofMillis(100), null));
        Thread.sleep(150);
        pool.tick();
        assertTrue(f.last().calls.contains("kill"));
        PoolStatus s = pool.status();
        assertEquals("crashing", s.state());
        assertEquals(1, s.failedStarts());
        assertTrue(s.lastFailure().contains("boot-timeout"), s.lastFailure());
    }

    @Test
    void theCrashingStateCountsFailedStartsAndTellsWhenTheNextAttemptIs() throws Exception {
        FakeWorker.Factory f = new FakeWorker.Factory(1);
        f.failBoot = true;
        WorkerPool pool = fixture.start(f, PoolFixture.settings(2));
        PoolStatus s = pool.status();
        assertEquals("crashing", s.state());
        assertEquals(1, s.failedStarts(), "the first round of 2 workers failing counts as one attempt");
        assertTrue(s.nextAttemptNanos() > 0 && s.nextAttemptNanos() <= 1_000_000_000L, "" + s.nextAttemptNanos());
        assertTrue(s.lastFailure().contains("ImportError"), s.lastFailure());
        assertEquals(2, pool.stats().failedStarts.sum());
        Thread.sleep(1050);
        pool.tick();
        assertEquals(3, f.made.size(), "then one probe at a time, not one per worker");
        assertEquals(2, pool.status().failedStarts());
    }
}
