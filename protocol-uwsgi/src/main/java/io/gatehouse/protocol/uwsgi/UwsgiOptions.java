package io.gatehouse.protocol.uwsgi;

import io.gatehouse.config.DataSize;
import io.gatehouse.config.Default;
import io.gatehouse.config.Max;
import io.gatehouse.config.Min;

/**
 * The options of a {@code uwsgi} listener, bound from its YAML keys; its timeouts are the keys every listener has.
 *
 * @param bufferSize    largest vars block (the packet's datasize) accepted; larger gets 431. The 16-bit datasize
 *                      cannot describe more than 65535 bytes, so the default 64KiB admits every packet
 * @param maxVars       most variables in one vars block; more gets 431
 * @param limitPost     largest request body (CONTENT_LENGTH) accepted, 0 for no limit; larger gets 413
 * @param bodyBuffer    request body bytes buffered per request before reading from the socket pauses
 */
public record UwsgiOptions(
        @Default("64KiB") @Min(1024) @Max(65536) DataSize bufferSize,
        @Default("1000") @Min(16) @Max(16384) int maxVars,
        @Default("0") DataSize limitPost,
        @Default("256KiB") @Min(4096) @Max(67108864) DataSize bodyBuffer) {

    /** The default buffer-size: all a packet header can describe. */
    public static final DataSize DEFAULT_BUFFER_SIZE = DataSize.ofKibibytes(64);
    /** The default max-vars: far above the few dozen variables front servers send. */
    public static final int DEFAULT_MAX_VARS = 1000;
    /** The default limit-post: none, the front server's limit (client_max_body_size) applies. */
    public static final DataSize DEFAULT_LIMIT_POST = DataSize.ofBytes(0);
    /** The default body-buffer. */
    public static final DataSize DEFAULT_BODY_BUFFER = DataSize.ofKibibytes(256);

    /** The defaults, as a uwsgi listener without options gets them. */
    public static final UwsgiOptions DEFAULTS = new UwsgiOptions(DEFAULT_BUFFER_SIZE, DEFAULT_MAX_VARS,
            DEFAULT_LIMIT_POST, DEFAULT_BODY_BUFFER);
}
