package io.gatehouse.protocol.http;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/** Collects the WARNING (and worse) lines the core's exchange handler logs while it is open. */
final class LogCapture extends Handler implements AutoCloseable {
    private static final Logger EXCHANGE = Logger.getLogger("io.gatehouse.core.exchange.ExchangeHandler");
    private final List<String> warnings = new CopyOnWriteArrayList<>();

    private LogCapture() {
    }

    static LogCapture start() {
        LogCapture capture = new LogCapture();
        EXCHANGE.addHandler(capture);
        return capture;
    }

    /** The messages logged at WARNING or above so far. */
    List<String> warnings() {
        return List.copyOf(warnings);
    }

    @Override
    public void publish(LogRecord record) {
        if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
            warnings.add(record.getMessage());
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        EXCHANGE.removeHandler(this);
    }

    @Override
    public String toString() {
        return warnings.stream().collect(Collectors.joining("\n"));
    }
}
