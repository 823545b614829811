package io.gatehouse.core.pool;

import io.gatehouse.config.AppConfig;
import io.gatehouse.config.CheaperConfig;
import java.time.Duration;

/**
 * The supervision settings of one app's pool, resolved from its config.
 *
 * @param app          the app's name
 * @param workers      how many workers to start with (and to keep, without cheaper)
 * @param queue        exchanges waiting for a free worker before new ones get 503
 * @param harakiri     longest time one exchange may run (zero = no limit)
 * @param maxRequests  exchanges a worker serves before it is recycled (0 = no limit)
 * @param reloadOnRss  resident memory above which a worker is recycled (0 = no limit)
 * @param reloadMercy  time a recycled or stopping worker gets to finish before it is killed
 * @param bootTimeout  time a new worker gets to become ready before it counts as a failed start
 * @param cheaper      the adaptive pool size, or null for a fixed {@code workers}
 */
public record PoolSettings(String app, int workers, int queue, Duration harakiri, long maxRequests,
        long reloadOnRss, Duration reloadMercy, Duration bootTimeout, Cheaper cheaper) {

    /** Default time a worker gets to boot. */
    public static final Duration DEFAULT_BOOT_TIMEOUT = Duration.ofSeconds(60);

    /**
     * Cheaper mode: between {@code min} and {@code max} workers, {@code step} more while requests queue, one fewer
     * for each worker idle for {@code idle}.
     */
    public record Cheaper(int min, int max, int step, Duration idle) {
    }

    /** Fixed-size settings with the default boot timeout. */
    public PoolSettings(String app, int workers, int queue, Duration harakiri, long maxRequests, long reloadOnRss,
            Duration reloadMercy) {
        this(app, workers, queue, harakiri, maxRequests, reloadOnRss, reloadMercy, DEFAULT_BOOT_TIMEOUT, null);
    }

    /** Settings from an app's config; {@code workers: auto} is clamped into the cheaper bounds. */
    public static PoolSettings of(AppConfig config) {
        CheaperConfig c = config.cheaper();
        Cheaper cheaper = c == null ? null : new Cheaper(c.min(), c.max(), c.step(), c.idle());
        int workers = config.workers().resolve();
        if (cheaper != null) {
            workers = Math.max(cheaper.min(), Math.min(cheaper.max(), workers));
        }
        return new PoolSettings(config.name(), workers, config.queue(), config.harakiri(), config.maxRequests(),
                config.reloadOnRss().bytes(), config.reloadMercy(), config.bootTimeout(), cheaper);
    }
}
