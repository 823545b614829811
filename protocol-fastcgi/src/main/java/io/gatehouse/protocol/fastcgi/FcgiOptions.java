package io.gatehouse.protocol.fastcgi;

import io.gatehouse.config.DataSize;
import io.gatehouse.config.Default;
import io.gatehouse.config.Max;
import io.gatehouse.config.Min;
import java.time.Duration;

/**
 * The options of a {@code fastcgi} listener, bound from its YAML keys.
 *
 * @param maxParamsSize        largest PARAMS stream of one request (the CGI variables); larger gets 431
 * @param maxParams            most name-value pairs in one PARAMS stream; more gets 431
 * @param maxBodySize          largest request body (0 = no limit); a larger CONTENT_LENGTH gets 413, a longer
 *                             STDIN stream of unknown length closes the connection
 * @param maxRequestsInFlight  requests one connection may carry at once; more are refused with FCGI_OVERLOADED
 *                             (FCGI_CANT_MPX_CONN when 1)
 * @param maxConnections       connections the listener holds at once; more are closed as they arrive
 * @param headerTimeout        time for a request's BEGIN_REQUEST and PARAMS to arrive; slower closes the connection
 * @param keepaliveTimeout     time a kept connection (FCGI_KEEP_CONN) may idle between requests
 * @param bodyBuffer           request body bytes buffered per request before reading pauses
 */
public record FcgiOptions(
        @Default("64KiB") @Min(1024) @Max(16777216) DataSize maxParamsSize,
        @Default("1000") @Min(1) @Max(100000) int maxParams,
        @Default("0") DataSize maxBodySize,
        @Default("16") @Min(1) @Max(65535) int maxRequestsInFlight,
        @Default("1024") @Min(1) @Max(1000000) int maxConnections,
        @Default("20s") Duration headerTimeout,
        @Default("75s") Duration keepaliveTimeout,
        @Default("256KiB") @Min(4096) @Max(67108864) DataSize bodyBuffer) {

    public static final DataSize DEFAULT_MAX_PARAMS_SIZE = DataSize.ofKibibytes(64);
    public static final int DEFAULT_MAX_PARAMS = 1000;
    public static final DataSize DEFAULT_MAX_BODY_SIZE = DataSize.ofBytes(0);
    public static final int DEFAULT_MAX_REQUESTS_IN_FLIGHT = 16;
    public static final int DEFAULT_MAX_CONNECTIONS = 1024;
    public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(20);
    /** Longer than nginx's upstream keepalive_timeout (60 s), so nginx, not Gatehouse, closes idle connections. */
    public static final Duration DEFAULT_KEEPALIVE_TIMEOUT = Duration.ofSeconds(75);
    public static final DataSize DEFAULT_BODY_BUFFER = DataSize.ofKibibytes(256);

    /** The defaults, as a fastcgi listener without options gets them. */
    public static final FcgiOptions DEFAULTS = new FcgiOptions(DEFAULT_MAX_PARAMS_SIZE, DEFAULT_MAX_PARAMS,
            DEFAULT_MAX_BODY_SIZE, DEFAULT_MAX_REQUESTS_IN_FLIGHT, DEFAULT_MAX_CONNECTIONS, DEFAULT_HEADER_TIMEOUT,
            DEFAULT_KEEPALIVE_TIMEOUT, DEFAULT_BODY_BUFFER);

    /** The concurrent requests the listener accepts: the answer to FCGI_MAX_REQS. */
    long maxRequests() {
        return (long) maxConnections * maxRequestsInFlight;
    }
}
