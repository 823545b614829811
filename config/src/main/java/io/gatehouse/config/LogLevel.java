package io.gatehouse.config;

/** The most detailed kind of message the error log keeps. */
public enum LogLevel {
    ERROR,
    WARN,
    INFO,
    DEBUG
}
