package io.gatehouse.config;

/** The layout of access log lines: Apache/nginx combined, or one JSON object per line. */
public enum AccessLogFormat {
    COMBINED,
    JSON
}
