package io.gatehouse.core.pool;

import static io.gatehouse.core.pool.PoolChecks.Check.BOOT_TIMEOUT;
import static io.gatehouse.core.pool.PoolChecks.Check.HARAKIRI;
import static io.gatehouse.core.pool.PoolChecks.Check.RELOAD_MERCY;
import static io.gatehouse.core.pool.PoolChecks.Check.RELOAD_ON_RSS;
import static io.gatehouse.core.pool.PoolFixture.ready;
import static io.gatehouse.core.pool.PoolFixture.starting;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.gatehouse.core.pool.PoolChecks.Finding;
import io.gatehouse.core.pool.PoolChecks.Resize;
import io.gatehouse.spi.exchange.Exchange;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the timed checks find, as decisions for the pool to act on. */
class PoolChecksTest {
    static final long MS = 1_000_000;

    @RegisterExtension
    final PoolFixture fixture = new PoolFixture();

    final Generation current = new Generation(1, null);
    final Slots slots = new Slots();
    final PoolChecks checks = new PoolChecks();

    /** 100 ms harakiri and boot timeout, reload-on-rss at 1000 bytes, 5 s reload-mercy. */
    final PoolSettings settings = new PoolSettings("app", 1, 10, Duration.ofMillis(100), 0, 1000,
            Duration.ofSeconds(5), Duration.ofMillis(100), new PoolSettings.Cheaper(1, 4, 2, Duration.ofMillis(100)));

    @Test
    void harakiriFindsEachOverdueExchangeOnceAndClocksAHeldOneFromWhenItStarts() throws Exception {
        WorkerSlot s = ready(slots, 1, current);
        Exchange running = fixture.exchange("/running");
        Exchange held = fixture.exchange("/held");
        s.run(running, 0);
        s.run(held, 0);
        s.hold(held);
        assertEquals(List.of(new Finding(HARAKIRI, s, running)), checks.run(slots, settings, false, 150 * MS));
        s.harakiri(running);
        assertEquals(List.of(), checks.run(slots, settings, false, 200 * MS), "answered already; the other is held");
        s.begin(held, 150 * MS);
        assertEquals(List.of(), checks.run(slots, settings, false, 250 * MS));
        assertEquals(List.of(new Finding(HARAKIRI, s, held)), checks.run(slots, settings, false, 251 * MS));
    }

    @Test
    void aWorkerStillStartingAfterBootTimeoutIsFoundOnce() {
        WorkerSlot s = starting(slots, 1, current);
        assertEquals(List.of(), checks.run(slots, settings, false, 100 * MS));
        assertEquals(List.of(new Finding(BOOT_TIMEOUT, s, null)), checks.run(slots, settings, false, 101 * MS));
        s.killUnbooted();
        assertEquals(List.of(), checks.run(slots, settings, false, 200 * MS));
    }

    @Test
    void aReadyWorkerOverReloadOnRssIsFoundUnlessThePoolStops() {
        WorkerSlot s = ready(slots, 1, current);
        s.measured(1000);
        assertEquals(List.of(), checks.run(slots, settings, false, 0), "at the limit exactly");
        s.measured(1001);
        assertEquals(List.of(new Finding(RELOAD_ON_RSS, s, null)), checks.run(slots, settings, false, 0));
        assertEquals(List.of(), checks.run(slots, settings, true, 0));
    }

    @Test
    void aWorkerStillStoppingAfterReloadMercyIsFoundOnce() {
        WorkerSlot s = ready(slots, 1, current);
        s.stop(0);
        assertEquals(List.of(), checks.run(slots, settings, false, 5000 * MS));
        assertEquals(List.of(new Finding(RELOAD_MERCY, s, null)), checks.run(slots, settings, false, 5001 * MS));
        s.killPastMercy();
        assertEquals(List.of(), checks.run(slots, settings, false, 9000 * MS));
    }

    @Test
    void cheaperGrowsByStepUpToMaxWhileRequestsWaitAndNoneStarts() throws Exception {
        ready(slots, 1, current);
        slots.enqueue(fixture.exchange("/waiting"));
        assertEquals(new Resize(3, null), checks.cheaper(slots, settings, current, 1, 0));
        assertEquals(new Resize(4, null), checks.cheaper(slots, settings, current, 3, 0), "max 4");
        assertNull(checks.cheaper(slots, settings, current, 4, 0));
        starting(slots, 2, current);
        assertNull(checks.cheaper(slots, settings, current, 1, 0), "one is starting already");
    }

    @Test
    void cheaperRetiresTheIdlestWorkerOnePerTickDownToMin() {
        ready(slots, 1, current);
        WorkerSlot two = ready(slots, 2, current);
        assertNull(checks.cheaper(slots, settings, current, 2, 99 * MS), "idle for less than 100 ms");
        assertEquals(new Resize(1, two), checks.cheaper(slots, settings, current, 2, 100 * MS));
        assertNull(checks.cheaper(slots, settings, current, 1, 100 * MS), "min 1");
    }
}
