package io.gatehouse.protocol.fastcgi;

import io.gatehouse.config.DataSize;
import io.gatehouse.config.Default;
import io.gatehouse.config.Max;
import io.gatehouse.config.Min;

/**
 * The options of a {@code fastcgi} listener, bound from its YAML keys; its timeouts and max-connections are the keys
 * every listener has.
 *
 * @param maxParamsSize        largest PARAMS stream of one request (the CGI variables); larger gets 431
 * @param maxParams            most name-value pairs in one PARAMS stream; more gets 431
 * @param maxBodySize          largest request body (0 = no limit); a larger CONTENT_LENGTH gets 413, a longer
 *                             STDIN stream of unknown length closes the connection
 * @param maxRequestsInFlight  requests one connection may carry at once; more are refused with FCGI_OVERLOADED
 *                             (FCGI_CANT_MPX_CONN when 1)
 * @param bodyBuffer           request body bytes buffered per request before reading pauses
 */
public record FcgiOptions(
        @Default("64KiB") @Min(1024) @Max(16777216) DataSize maxParamsSize,
        @Default("1000") @Min(1) @Max(100000) int maxParams,
        @Default("0") DataSize maxBodySize,
        @Default("16") @Min(1) @Max(65535) int maxRequestsInFlight,
        @Default("256KiB") @Min(4096) @Max(67108864) DataSize bodyBuffer) {

    public static final DataSize DEFAULT_MAX_PARAMS_SIZE = DataSize.ofKibibytes(64);
    public static final int DEFAULT_MAX_PARAMS = 1000;
    public static final DataSize DEFAULT_MAX_BODY_SIZE = DataSize.ofBytes(0);
    public static final int DEFAULT_MAX_REQUESTS_IN_FLIGHT = 16;
    public static final DataSize DEFAULT_BODY_BUFFER = DataSize.ofKibibytes(256);

    /** The defaults, as a fastcgi listener without options gets them. */
    public static final FcgiOptions DEFAULTS = new FcgiOptions(DEFAULT_MAX_PARAMS_SIZE, DEFAULT_MAX_PARAMS,
            DEFAULT_MAX_BODY_SIZE, DEFAULT_MAX_REQUESTS_IN_FLIGHT, DEFAULT_BODY_BUFFER);
}
