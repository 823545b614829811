package io.gatehouse.config;

/**
 * Error and access logging.
 *
 * @param accessLog null for no access log, {@code "-"} for stdout, otherwise a file path
 * @param errorLog null for stderr, otherwise a file path
 * @param repeatLimit lines of one kind (a listener's answers to bad requests, its refused connections) logged per
 *                    10 s before the rest are counted into one summary line; 0 for no limit
 */
public record LoggingConfig(
        @Default("info") LogLevel level,
        String accessLog,
        @Default("combined") AccessLogFormat accessLogFormat,
        String errorLog,
        @Default("20") @Min(0) @Max(1_000_000) int repeatLimit) {
}
