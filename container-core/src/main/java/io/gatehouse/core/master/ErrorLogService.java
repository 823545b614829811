package io.gatehouse.core.master;

import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.config.LogLevel;
import io.gatehouse.config.LoggingConfig;
import io.gatehouse.core.log.LogSetup;
import java.io.IOException;

/**
 * {@code logging.level}, {@code logging.error-log} and {@code logging.repeat-limit}: the server log, which the command
 * line set up at start.
 */
final class ErrorLogService extends MasterService<ErrorLogService.Section> {

    /** The level, the file (null: stderr), and the lines of one kind per interval. */
    record Section(LogLevel level, String file, int repeatLimit) {
    }

    /** The error log as the command line configured it from {@code logging} before the master booted. */
    ErrorLogService(LoggingConfig logging) {
        super("logging.error-log", of(logging));
    }

    private static Section of(LoggingConfig logging) {
        return new Section(logging.level(), logging.errorLog(), logging.repeatLimit());
    }

    @Override
    Section section(GatehouseConfig config) {
        return of(config.logging());
    }

    @Override
    void replace(Section before, Section next) throws IOException {
        LogSetup.configure(next.level(), next.file(), next.repeatLimit());
    }

    /** SIGUSR1: reopens the file (after logrotate moved it). */
    void reopen() throws IOException {
        LogSetup.reopen();
    }

    /** The log stays open to the end: the master's last lines go there. */
    @Override
    public void close() {
    }
}
