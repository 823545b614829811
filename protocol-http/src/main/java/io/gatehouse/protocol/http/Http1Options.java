package io.gatehouse.protocol.http;

import io.gatehouse.config.ConfigValueException;
import io.gatehouse.config.DataSize;
import io.gatehouse.config.Default;
import io.gatehouse.config.Max;
import io.gatehouse.config.Min;

/**
 * The options of an {@code http} listener, bound from its YAML keys (documented in docs/protocols/http.md). Its
 * timeouts are the keys every listener has ({@code header-timeout}, {@code keepalive-timeout}, ...).
 *
 * @param maxRequestLine         longest request line (method, target, version; line ending not counted); longer
 *                               gets 414
 * @param maxHeaderSize          longest header section (all field lines; line endings not counted); longer gets 431
 * @param maxHeaders             most header fields; more gets 431
 * @param maxBodySize            largest request body (0 = no limit: bodies stream, none is held whole); larger gets
 *                               413
 * @param bodyBuffer             request body bytes buffered per request before reading from the client pauses
 * @param allowUnderscoreHeaders keep header names containing '_' (dropped by default: they collide with '-')
 * @param tls                    TLS on this listener (null: cleartext)
 * @param http2                  HTTP/2 on this listener and its limits (null: the defaults)
 * @param websocket              WebSockets on this listener and their limits (null: the defaults)
 */
public record Http1Options(
        @Default(DEFAULT_MAX_REQUEST_LINE) @Min(MIN_LINE) @Max(MAX_LINE) DataSize maxRequestLine,
        @Default(DEFAULT_MAX_HEADER_SIZE) @Min(MIN_LINE) @Max(MAX_LINE) DataSize maxHeaderSize,
        @Default(DEFAULT_MAX_HEADERS) @Min(1) @Max(MAX_HEADERS) int maxHeaders,
        @Default(DEFAULT_MAX_BODY_SIZE) DataSize maxBodySize,
        @Default(DEFAULT_BODY_BUFFER) @Min(MIN_BODY_BUFFER) @Max(MAX_BODY_BUFFER) DataSize bodyBuffer,
        boolean allowUnderscoreHeaders,
        HttpTlsOptions tls,
        Http2Options http2,
        Http1WebSocketOptions websocket) {

    public static final String DEFAULT_MAX_REQUEST_LINE = "8KiB";
    public static final String DEFAULT_MAX_HEADER_SIZE = "32KiB";
    public static final String DEFAULT_MAX_HEADERS = "100";
    public static final String DEFAULT_MAX_BODY_SIZE = "0";
    public static final String DEFAULT_BODY_BUFFER = "256KiB";

    static final long MIN_LINE = 64;
    static final long MAX_LINE = 16 * 1024 * 1024;
    static final long MAX_HEADERS = 10_000;
    static final long MIN_BODY_BUFFER = 4096;
    static final long MAX_BODY_BUFFER = 64 * 1024 * 1024;

    /** The defaults, as an http listener without options gets them. */
    public static final Http1Options DEFAULTS = new Http1Options(DataSize.parse(DEFAULT_MAX_REQUEST_LINE),
            DataSize.parse(DEFAULT_MAX_HEADER_SIZE), Integer.parseInt(DEFAULT_MAX_HEADERS),
            DataSize.parse(DEFAULT_MAX_BODY_SIZE), DataSize.parse(DEFAULT_BODY_BUFFER), false, null,
            Http2Options.DEFAULTS, Http1WebSocketOptions.DEFAULTS);

    /** Checks the bounds again for options built in code (the binder reports them with their YAML position). */
    public Http1Options {
        check("max-request-line", maxRequestLine.bytes(), MIN_LINE, MAX_LINE);
        check("max-header-size", maxHeaderSize.bytes(), MIN_LINE, MAX_LINE);
        check("max-headers", maxHeaders, 1, MAX_HEADERS);
        check("body-buffer", bodyBuffer.bytes(), MIN_BODY_BUFFER, MAX_BODY_BUFFER);
        http2 = http2 == null ? Http2Options.DEFAULTS : http2;
        websocket = websocket == null ? Http1WebSocketOptions.DEFAULTS : websocket;
        if (http2.h2c() && tls != null) {
            throw new ConfigValueException("http2", "h2c is cleartext HTTP/2: it does not go with tls (there, h2 is "
                    + "negotiated by ALPN)");
        }
    }

    /** Options without a websocket block: its defaults (code and tests that predate it). */
    public Http1Options(DataSize maxRequestLine, DataSize maxHeaderSize, int maxHeaders, DataSize maxBodySize,
            DataSize bodyBuffer, boolean allowUnderscoreHeaders, HttpTlsOptions tls, Http2Options http2) {
        this(maxRequestLine, maxHeaderSize, maxHeaders, maxBodySize, bodyBuffer, allowUnderscoreHeaders, tls, http2,
                null);
    }

    /** These options with {@code tls} (tests). */
    Http1Options withTls(HttpTlsOptions tls) {
        return new Http1Options(maxRequestLine, maxHeaderSize, maxHeaders, maxBodySize, bodyBuffer,
                allowUnderscoreHeaders, tls, http2, websocket);
    }

    /** These options with {@code http2} (tests). */
    Http1Options withHttp2(Http2Options http2) {
        return new Http1Options(maxRequestLine, maxHeaderSize, maxHeaders, maxBodySize, bodyBuffer,
                allowUnderscoreHeaders, tls, http2, websocket);
    }

    /** These options with {@code websocket} (tests). */
    Http1Options withWebSocket(Http1WebSocketOptions websocket) {
        return new Http1Options(maxRequestLine, maxHeaderSize, maxHeaders, maxBodySize, bodyBuffer,
                allowUnderscoreHeaders, tls, http2, websocket);
    }

    private static void check(String key, long value, long min, long max) {
        if (value < min || value > max) {
            throw new ConfigValueException(key, value + " (expected: " + min + ".." + max + ")");
        }
    }
}
