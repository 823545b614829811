package io.gatehouse.core.testing;

import io.gatehouse.core.exchange.ExchangeHandler;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * The WARN (and worse) lines one logger writes while the capture is open: the one log capturer of the tests, so
 * that a listener test checks its single WARN line the same way everywhere.
 */
public final class LogCapture extends Handler implements AutoCloseable {
    private final Logger logger;
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final List<Throwable> thrown = new CopyOnWriteArrayList<>();

    private LogCapture(Logger logger) {
        this.logger = logger;
        logger.addHandler(this);
    }

    /** Captures what the listeners' exchange handler logs: one line per refused request or timed-out head. */
    public static LogCapture exchanges() {
        return of(ExchangeHandler.class);
    }

    /** Captures what the listeners' responses log: one line per response head refused from an app. */
    public static LogCapture responses() {
        return named("io.gatehouse.core.exchange.ChannelResponse");
    }

    /** Captures what the logger of {@code source} logs (e.g. a protocol refusing a connection). */
    public static LogCapture of(Class<?> source) {
        return new LogCapture(Logger.getLogger(source.getName()));
    }

    /** Captures what the logger named {@code name} logs. */
    public static LogCapture named(String name) {
        return new LogCapture(Logger.getLogger(name));
    }

    /** The messages logged at WARNING or above so far. */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    /** The exceptions logged with those lines: a stack trace in the log, which only a real bug should cause. */
    public List<Throwable> thrown() {
        return List.copyOf(thrown);
    }

    @Override
    public void publish(LogRecord record) {
        if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
            warnings.add(String.valueOf(record.getMessage()));
            if (record.getThrown() != null) {
                thrown.add(record.getThrown());
            }
        }
    }

    @Override
    public void flush() {
    }

    /** Stops capturing. */
    @Override
    public void close() {
        logger.removeHandler(this);
    }

    @Override
    public String toString() {
        return warnings.stream().collect(Collectors.joining("\n"));
    }
}
