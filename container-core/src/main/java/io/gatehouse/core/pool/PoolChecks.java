package io.gatehouse.core.pool;

import io.gatehouse.app.EnvironKeys;
import io.gatehouse.spi.exchange.Exchange;
import java.util.ArrayList;
import java.util.List;

/**
 * The timed checks of one pool, in uWSGI's names: harakiri, boot timeout, reload-on-rss, reload-mercy and cheaper.
 * The pool's tick runs them under its lock; they only look at the workers and say what they found, and the pool
 * acts on it.
 */
final class PoolChecks {
    private static final long RSS_EVERY_NANOS = 1_000_000_000L;

    /** The checks made on each worker, named for the setting each enforces. */
    enum Check {
        /** An exchange ran too long: answer it 504 and end its worker. */
        HARAKIRI,
        /** A worker did not become ready in time: kill it, a failed start. */
        BOOT_TIMEOUT,
        /** A ready worker uses too much memory: recycle it. */
        RELOAD_ON_RSS,
        /** A ready worker served max-requests, some of them alone (the direct path): recycle it. */
        MAX_REQUESTS,
        /** A stopping worker did not stop in time: kill it. */
        RELOAD_MERCY
    }

    /** What a check found about one worker; {@code exchange} is the overdue one for harakiri, else null. */
    record Finding(Check check, WorkerSlot slot, Exchange exchange) {
    }

    /** cheaper's step: the new worker count, and the idle worker to retire for it (null when growing). */
    record Resize(int target, WorkerSlot retire) {
    }

    private long lastRssNanos;

    /** Workers whose memory to read now (outside the lock: reading /proc is I/O); empty when not due. */
    List<WorkerSlot> rssSample(Slots slots, PoolSettings settings, long now) {
        if (settings.reloadOnRss() <= 0 && now - lastRssNanos < 10 * RSS_EVERY_NANOS) {
            return List.of();
        }
        if (now - lastRssNanos < RSS_EVERY_NANOS) {
            return List.of();
        }
        lastRssNanos = now;
        return slots.measurable();
    }

    /** The per-worker checks, worker by worker. */
    List<Finding> run(Slots slots, PoolSettings settings, boolean stopping, long now) {
        List<Finding> found = new ArrayList<>(0);
        for (WorkerSlot s : slots.all()) {
            checkHarakiri(s, settings, now, found);
            if (s.bootOverdue(now, settings.bootTimeout().toNanos())) {
                found.add(new Finding(Check.BOOT_TIMEOUT, s, null));
            }
            checkRss(s, settings, stopping, found);
            checkMaxRequests(s, settings, stopping, found);
            checkMercy(s, settings, now, found);
        }
        return found;
    }

    private static void checkHarakiri(WorkerSlot s, PoolSettings settings, long now, List<Finding> found) {
        long limit = settings.harakiri().toNanos();
        if (limit <= 0) {
            return;
        }
        for (Exchange ex : s.overdue(now, limit)) {
            WorkerPool.LOG.warning("harakiri: app '" + settings.app() + "' " + s.name() + " ran "
                    + ex.environ().get(EnvironKeys.REQUEST_METHOD) + " " + ex.environ().get(EnvironKeys.REQUEST_URI)
                    + " for over " + settings.harakiri().toMillis() + " ms; answering 504 and ending it");
            found.add(new Finding(Check.HARAKIRI, s, ex));
        }
    }

    private static void checkRss(WorkerSlot s, PoolSettings settings, boolean stopping, List<Finding> found) {
        long limit = settings.reloadOnRss();
        if (limit > 0 && s.accepting() && s.rssBytes() > limit && !stopping) {
            WorkerPool.LOG.info("app '" + settings.app() + "' " + s.name() + " uses " + s.rssBytes()
                    + " bytes, over reload-on-rss " + limit + "; recycling it");
            found.add(new Finding(Check.RELOAD_ON_RSS, s, null));
        }
    }

    /**
     * Requests a worker served alone are not seen as they end, as exchanges are: its count is looked at here, on
     * each tick, a few requests late at most.
     */
    private static void checkMaxRequests(WorkerSlot s, PoolSettings settings, boolean stopping, List<Finding> found) {
        long max = settings.maxRequests();
        if (max > 0 && s.accepting() && s.worker.servedAlone() > 0 && s.served() >= max && !stopping) {
            WorkerPool.LOG.info("app '" + settings.app() + "' " + s.name() + " served max-requests " + max
                    + "; recycling it");
            found.add(new Finding(Check.MAX_REQUESTS, s, null));
        }
    }

    private static void checkMercy(WorkerSlot s, PoolSettings settings, long now, List<Finding> found) {
        if (s.pastMercy(now, settings.reloadMercy().toNanos())) {
            String mercy = "reload-mercy " + settings.reloadMercy().toMillis() + " ms";
            if (s.settled() && !s.idle()) {
                // only WebSockets, which never end on their own: the expected way a retiring worker leaves
                WorkerPool.LOG.info("app '" + settings.app() + "' " + s.name() + " still held " + s.busy()
                        + " WebSocket(s) after " + mercy + "; closing them with 1012 (service restart) and stopping it");
            } else {
                WorkerPool.LOG.warning("app '" + settings.app() + "' " + s.name() + " did not stop within " + mercy
                        + "; killing it");
            }
            found.add(new Finding(Check.RELOAD_MERCY, s, null));
        }
    }

    /**
     * cheaper, for a steady pool (not stopping, reloading or crashing): grows by {@code step} while requests wait,
     * shrinks by one idle worker per tick down to {@code min}. Null when the size stays.
     */
    Resize cheaper(Slots slots, PoolSettings settings, Generation current, int target, long now) {
        PoolSettings.Cheaper c = settings.cheaper();
        if (c == null) {
            return null;
        }
        WorkerSlot idlest = slots.idlest(current, now, c.idle().toNanos());
        if (slots.queued() > 0 && slots.starting(current) == 0 && target < c.max()) {
            int grown = Math.min(c.max(), target + c.step());
            WorkerPool.LOG.info("app '" + settings.app() + "' cheaper: " + slots.queued() + " request(s) waiting; "
                    + "workers " + target + " -> " + grown);
            return new Resize(grown, null);
        }
        if (slots.queued() == 0 && idlest != null && target > c.min()) {
            WorkerPool.LOG.info("app '" + settings.app() + "' cheaper: worker " + idlest.id() + " idle for "
                    + c.idle().toMillis() + " ms; workers " + target + " -> " + (target - 1));
            return new Resize(target - 1, idlest);
        }
        return null;
    }
}
