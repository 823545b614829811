package io.gatehouse.core.pool;

import io.gatehouse.config.AppConfig;
import java.time.Duration;

/**
 * The supervision settings of one app's pool, resolved from its config.
 *
 * @param app          the app's name
 * @param workers      how many workers to keep
 * @param queue        exchanges waiting for a free worker before new ones get 503
 * @param harakiri     longest time one exchange may run (zero = no limit)
 * @param maxRequests  exchanges a worker serves before it is recycled (0 = no limit)
 * @param reloadOnRss  resident memory above which a worker is recycled (0 = no limit)
 * @param reloadMercy  time a recycled worker gets to finish before it is killed
 */
public record PoolSettings(String app, int workers, int queue, Duration harakiri, long maxRequests,
        long reloadOnRss, Duration reloadMercy) {

    /** Settings from an app's config. */
    public static PoolSettings of(AppConfig config) {
        return new PoolSettings(config.name(), config.workers().resolve(), config.queue(), config.harakiri(),
                config.maxRequests(), config.reloadOnRss().bytes(), config.reloadMercy());
    }
}
