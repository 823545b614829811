package io.gatehouse.protocol.scgi;

import io.gatehouse.config.DataSize;
import io.gatehouse.config.Default;
import io.gatehouse.config.Max;
import io.gatehouse.config.Min;

/**
 * The options of an {@code scgi} listener, bound from its YAML keys; its timeouts are the keys every listener has.
 *
 * @param bufferSize    largest vars block (the netstring's length) accepted; larger gets 431
 * @param maxVars       most variables in one vars block; more gets 431
 * @param limitPost     largest request body (CONTENT_LENGTH) accepted, 0 for no limit; larger gets 413
 * @param bodyBuffer    request body bytes buffered per request before reading from the socket pauses
 */
public record ScgiOptions(
        @Default("64KiB") @Min(1024) @Max(1048576) DataSize bufferSize,
        @Default("1000") @Min(16) @Max(16384) int maxVars,
        @Default("0") DataSize limitPost,
        @Default("256KiB") @Min(4096) @Max(67108864) DataSize bodyBuffer) {

    /** The default buffer-size: as uwsgi's, far above what front servers send. */
    public static final DataSize DEFAULT_BUFFER_SIZE = DataSize.ofKibibytes(64);
    /** The default max-vars: far above the few dozen variables front servers send. */
    public static final int DEFAULT_MAX_VARS = 1000;
    /** The default limit-post: none, the front server's limit (client_max_body_size) applies. */
    public static final DataSize DEFAULT_LIMIT_POST = DataSize.ofBytes(0);
    /** The default body-buffer. */
    public static final DataSize DEFAULT_BODY_BUFFER = DataSize.ofKibibytes(256);

    /** The defaults, as an scgi listener without options gets them. */
    public static final ScgiOptions DEFAULTS = new ScgiOptions(DEFAULT_BUFFER_SIZE, DEFAULT_MAX_VARS,
            DEFAULT_LIMIT_POST, DEFAULT_BODY_BUFFER);
}
