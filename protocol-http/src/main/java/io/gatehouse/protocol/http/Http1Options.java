package io.gatehouse.protocol.http;

import io.gatehouse.config.DataSize;
import io.gatehouse.config.Default;
import io.gatehouse.config.Max;
import io.gatehouse.config.Min;
import java.time.Duration;

/**
 * The options of an {@code http} listener, bound from its YAML keys.
 *
 * @param maxRequestLine         longest request line (method, target, version); longer gets 414
 * @param maxHeaderSize          largest header block; larger gets 431
 * @param maxHeaders             most header fields; more gets 431
 * @param maxBodySize            largest request body (0 = no limit; bodies stream, so none is held whole); larger gets 413
 * @param headerTimeout          time for a request head to arrive; slower gets 408
 * @param keepaliveTimeout       time a kept-alive connection may idle between requests
 * @param bodyBuffer             request body bytes buffered per request before reading pauses
 * @param allowUnderscoreHeaders keep header names containing '_' (dropped by default: they collide with '-')
 */
public record Http1Options(
        @Default("8KiB") @Min(64) @Max(1048576) DataSize maxRequestLine,
        @Default("32KiB") @Min(256) @Max(16777216) DataSize maxHeaderSize,
        @Default("100") @Min(1) @Max(10000) int maxHeaders,
        @Default("0") DataSize maxBodySize,
        @Default("20s") Duration headerTimeout,
        @Default("60s") Duration keepaliveTimeout,
        @Default("256KiB") @Min(4096) @Max(67108864) DataSize bodyBuffer,
        boolean allowUnderscoreHeaders) {

    /** The defaults, as an http listener without options gets them. */
    public static final Http1Options DEFAULTS = new Http1Options(DataSize.parse("8KiB"), DataSize.parse("32KiB"),
            100, DataSize.parse("0"), Duration.ofSeconds(20), Duration.ofSeconds(60), DataSize.parse("256KiB"), false);
}
