package io.gatehouse.config;

/**
 * Error and access logging.
 *
 * @param accessLog null for no access log, {@code "-"} for stdout, otherwise a file path
 * @param errorLog null for stderr, otherwise a file path
 */
public record LoggingConfig(
        @Default("info") LogLevel level,
        String accessLog,
        @Default("combined") AccessLogFormat accessLogFormat,
        String errorLog) {
}
