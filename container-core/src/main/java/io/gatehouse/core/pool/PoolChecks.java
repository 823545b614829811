package io.gatehouse.core.pool;

import io.gatehouse.app.EnvironKeys;
import io.gatehouse.spi.exchange.Exchange;
import io.gatehouse.spi.runtime.Worker;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The timed checks of one pool, run by its tick under the pool's lock, in uWSGI's names: harakiri, boot timeout,
 * reload-on-rss, reload-mercy and cheaper. Each only decides; calls into workers go to the pool's actions.
 */
final class PoolChecks {
    private static final long RSS_EVERY_NANOS = 1_000_000_000L;

    private final WorkerPool pool;
    private long lastRssNanos;

    PoolChecks(WorkerPool pool) {
        this.pool = pool;
    }

    /** Workers whose memory to read now (outside the lock: reading /proc is I/O); empty when not due. */
    List<WorkerSlot> rssSample() {
        long now = System.nanoTime();
        synchronized (pool) {
            if (pool.settings.reloadOnRss() <= 0 && now - lastRssNanos < 10 * RSS_EVERY_NANOS) {
                return List.of();
            }
            if (now - lastRssNanos < RSS_EVERY_NANOS) {
                return List.of();
            }
            lastRssNanos = now;
            List<WorkerSlot> out = new ArrayList<>();
            for (WorkerSlot s : pool.slots) {
                if (s.state == WorkerSlot.State.READY) {
                    out.add(s);
                }
            }
            return out;
        }
    }

    void readRss(List<WorkerSlot> sample) {
        for (WorkerSlot s : sample) {
            long rss = s.worker.rssBytes();
            synchronized (pool) {
                s.rssBytes = rss;
            }
        }
    }

    void run(long now, PoolActions actions) {
        for (WorkerSlot s : pool.slots) {
            checkHarakiri(s, now, actions);
            checkBootTimeout(s, now, actions);
            checkRss(s);
            checkMercy(s, now, actions);
        }
        checkCheaper(now, actions);
    }

    private void checkHarakiri(WorkerSlot s, long now, PoolActions actions) {
        long limit = pool.settings.harakiri().toNanos();
        if (limit <= 0) {
            return;
        }
        Worker w = s.worker;
        for (Map.Entry<Exchange, Long> e : s.running.entrySet()) {
            Exchange ex = e.getKey();
            // one held behind another has not started: its clock starts when it does (WorkerEvents.started)
            long started = e.getValue();
            if (started != WorkerSlot.HELD && now - started > limit && s.overdue.put(ex, Boolean.TRUE) == null) {
                pool.stats.harakiris.increment();
                WorkerPool.LOG.warning("harakiri: app '" + pool.appName() + "' worker " + w.id()
                        + WorkerPool.pidText(w) + " ran " + ex.environ().get(EnvironKeys.REQUEST_METHOD) + " "
                        + ex.environ().get(EnvironKeys.REQUEST_URI) + " for over "
                        + pool.settings.harakiri().toMillis() + " ms; answering 504 and ending it");
                actions.add(() -> {
                    ex.response().error(504, null);
                    w.harakiri(ex);
                });
            }
        }
    }

    private void checkBootTimeout(WorkerSlot s, long now, PoolActions actions) {
        if (s.state == WorkerSlot.State.STARTING && !s.bootTimedOut
                && now - s.spawnedNanos > pool.settings.bootTimeout().toNanos()) {
            s.bootTimedOut = true;
            actions.add(s.worker::kill);
        }
    }

    private void checkRss(WorkerSlot s) {
        long limit = pool.settings.reloadOnRss();
        if (limit > 0 && s.serving() && s.state == WorkerSlot.State.READY && s.rssBytes > limit && !pool.stopping) {
            WorkerPool.LOG.info("app '" + pool.appName() + "' worker " + s.id() + WorkerPool.pidText(s.worker)
                    + " uses " + s.rssBytes + " bytes, over reload-on-rss " + limit + "; recycling it");
            pool.stats.recycles.increment();
            s.retiring = true;
        }
    }

    private void checkMercy(WorkerSlot s, long now, PoolActions actions) {
        if (s.state == WorkerSlot.State.STOPPING && now - s.stopRequestedNanos > pool.settings.reloadMercy().toNanos()) {
            s.stopRequestedNanos = Long.MAX_VALUE / 2;
            WorkerPool.LOG.warning("app '" + pool.appName() + "' worker " + s.id() + WorkerPool.pidText(s.worker)
                    + " did not stop within reload-mercy " + pool.settings.reloadMercy().toMillis() + " ms; killing it");
            actions.add(s.worker::kill);
        }
    }

    /** Grows by {@code step} while requests wait, shrinks by one idle worker per tick down to {@code min}. */
    private void checkCheaper(long now, PoolActions actions) {
        PoolSettings.Cheaper c = pool.settings.cheaper();
        if (c == null || pool.stopping || pool.rollout != null || pool.backoff.failures() > 0) {
            return;
        }
        int starting = 0;
        WorkerSlot idlest = null;
        for (WorkerSlot s : pool.slots) {
            if (s.generation != pool.current || !s.serving()) {
                continue;
            }
            starting += s.state == WorkerSlot.State.STARTING ? 1 : 0;
            if (s.state == WorkerSlot.State.READY && s.running.isEmpty()
                    && now - s.idleSinceNanos >= c.idle().toNanos() && (idlest == null || s.id() > idlest.id())) {
                idlest = s;
            }
        }
        if (!pool.queue.isEmpty() && starting == 0 && pool.target < c.max()) {
            int before = pool.target;
            pool.target = Math.min(c.max(), pool.target + c.step());
            WorkerPool.LOG.info("app '" + pool.appName() + "' cheaper: " + pool.queue.size() + " request(s) waiting; "
                    + "workers " + before + " -> " + pool.target);
        } else if (pool.queue.isEmpty() && idlest != null && pool.target > c.min()) {
            pool.target--;
            idlest.retiring = true;
            WorkerPool.LOG.info("app '" + pool.appName() + "' cheaper: worker " + idlest.id() + " idle for "
                    + c.idle().toMillis() + " ms; workers " + (pool.target + 1) + " -> " + pool.target);
            pool.staffing.beginStop(idlest, now, actions);
        }
    }
}
