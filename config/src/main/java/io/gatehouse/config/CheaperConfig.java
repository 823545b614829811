package io.gatehouse.config;

import java.time.Duration;

/**
 * uWSGI's cheaper mode for one app: the pool grows while requests queue and shrinks while workers sit idle, between
 * {@code min} and {@code max} workers; the app's {@code workers} is the count it starts with.
 *
 * @param min  fewest workers kept, however idle
 * @param max  most workers run, however long the queue
 * @param step workers spawned at once when requests are waiting for a worker
 * @param idle how long a worker must have served nothing before it is retired (while above {@code min})
 */
public record CheaperConfig(
        @Default("1") @Min(1) @Max(1024) int min,
        @Required @Min(1) @Max(1024) int max,
        @Default("1") @Min(1) @Max(1024) int step,
        @Default("30s") Duration idle) {

    public CheaperConfig {
        // A max that failed to bind arrives as 0; comparing against it would only repeat that error.
        if (max > 0 && min > max) {
            throw new ConfigValueException("min", "must not exceed max (" + max + "), got " + min);
        }
        if (idle != null && (idle.isZero() || idle.isNegative())) {
            throw new ConfigValueException("idle", "must be longer than 0, got " + DurationFormat.format(idle));
        }
    }
}
