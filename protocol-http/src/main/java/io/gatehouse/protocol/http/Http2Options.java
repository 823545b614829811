package io.gatehouse.protocol.http;

import io.gatehouse.config.ConfigValueException;
import io.gatehouse.config.DataSize;
import io.gatehouse.config.Default;
import io.gatehouse.config.Max;
import io.gatehouse.config.Min;
import java.time.Duration;

/**
 * The {@code http2:} block of an http listener (docs/protocols/http.md): whether HTTP/2 is offered, and its limits.
 *
 * @param enabled                 offer {@code h2} by ALPN on a TLS listener
 * @param h2c                     accept cleartext HTTP/2 with prior knowledge (the client starts with the preface)
 * @param maxConcurrentStreams    streams a client may have open at once (SETTINGS_MAX_CONCURRENT_STREAMS)
 * @param initialWindowSize       request body bytes a stream may send before the app has read them
 *                                (SETTINGS_INITIAL_WINDOW_SIZE): what one stream can hold in memory
 * @param connectionWindowSize    the same for all streams of a connection together
 * @param maxFrameSize            largest frame payload the client may send (SETTINGS_MAX_FRAME_SIZE)
 * @param maxResets               stream resets a client may send per {@code resetWindow} (rapid reset,
 *                                CVE-2023-44487); one more closes the connection with ENHANCE_YOUR_CALM
 * @param resetWindow             the interval {@code maxResets} counts over
 * @param maxQueuedControlFrames  acknowledgements (SETTINGS, PING) and resets queued for a client that does not
 *                                read them before the connection is closed (SETTINGS and PING floods)
 * @param sendTimeout             how long a response may wait for the client to open its flow-control window before
 *                                the stream is reset (zero-window stalls; 0 = never)
 */
public record Http2Options(
        @Default("true") boolean enabled,
        @Default("false") boolean h2c,
        @Default(DEFAULT_MAX_CONCURRENT_STREAMS) @Min(1) @Max(MAX_STREAMS) int maxConcurrentStreams,
        @Default(DEFAULT_INITIAL_WINDOW_SIZE) @Min(MIN_WINDOW) @Max(MAX_WINDOW) DataSize initialWindowSize,
        @Default(DEFAULT_CONNECTION_WINDOW_SIZE) @Min(MIN_WINDOW) @Max(MAX_WINDOW) DataSize connectionWindowSize,
        @Default(DEFAULT_MAX_FRAME_SIZE) @Min(MIN_FRAME) @Max(MAX_FRAME) DataSize maxFrameSize,
        @Default(DEFAULT_MAX_RESETS) @Min(1) int maxResets,
        @Default(DEFAULT_RESET_WINDOW) @Min(1000) Duration resetWindow,
        @Default(DEFAULT_MAX_QUEUED_CONTROL_FRAMES) @Min(16) int maxQueuedControlFrames,
        @Default(DEFAULT_SEND_TIMEOUT) Duration sendTimeout) {

    public static final String DEFAULT_MAX_CONCURRENT_STREAMS = "128";
    public static final String DEFAULT_INITIAL_WINDOW_SIZE = "64KiB";
    public static final String DEFAULT_CONNECTION_WINDOW_SIZE = "1MiB";
    public static final String DEFAULT_MAX_FRAME_SIZE = "16KiB";
    public static final String DEFAULT_MAX_RESETS = "200";
    public static final String DEFAULT_RESET_WINDOW = "30s";
    public static final String DEFAULT_MAX_QUEUED_CONTROL_FRAMES = "10000";
    public static final String DEFAULT_SEND_TIMEOUT = "30s";

    static final long MAX_STREAMS = 10_000;
    static final long MIN_WINDOW = 1024;
    /** RFC 9113 6.9.1: a window never exceeds 2^31-1. */
    static final long MAX_WINDOW = Integer.MAX_VALUE;
    /** RFC 9113 6.5.2: SETTINGS_MAX_FRAME_SIZE lies between 2^14 and 2^24-1. */
    static final long MIN_FRAME = 16384;
    static final long MAX_FRAME = 16_777_215;

    /** The defaults, as an http listener without an http2 block gets them. */
    public static final Http2Options DEFAULTS = new Http2Options(true, false,
            Integer.parseInt(DEFAULT_MAX_CONCURRENT_STREAMS), DataSize.parse(DEFAULT_INITIAL_WINDOW_SIZE),
            DataSize.parse(DEFAULT_CONNECTION_WINDOW_SIZE), DataSize.parse(DEFAULT_MAX_FRAME_SIZE),
            Integer.parseInt(DEFAULT_MAX_RESETS), Duration.ofSeconds(30),
            Integer.parseInt(DEFAULT_MAX_QUEUED_CONTROL_FRAMES), Duration.ofSeconds(30));

    public Http2Options {
        if (connectionWindowSize.bytes() < initialWindowSize.bytes()) {
            throw new ConfigValueException("connection-window-size", connectionWindowSize + " is below "
                    + "initial-window-size " + initialWindowSize + ": one stream could not use its window");
        }
        if (sendTimeout.isNegative()) {
            throw new ConfigValueException("send-timeout", "must not be negative");
        }
    }
}
