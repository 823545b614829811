package io.gatehouse.core.log;

import io.gatehouse.config.LogLevel;
import io.gatehouse.spi.log.LogThrottle;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

/**
 * The server log: one line per event ({@code time LEVEL [logger] message}, stack traces indented below), to stderr
 * or to {@code logging.error-log}, reopened on SIGUSR1 so logrotate can move the file.
 */
public final class LogSetup {
    private static Handler handler;
    private static String file;

    private LogSetup() {
    }

    /**
     * Routes every java.util.logging record at or above {@code level} to {@code errorLog} (null = stderr), with
     * {@code repeatLimit} lines of one kind per interval ({@link LogThrottle}).
     */
    public static synchronized void configure(LogLevel level, String errorLog, int repeatLimit) throws IOException {
        LogThrottle.repeatLimit(repeatLimit);
        configure(level, errorLog);
    }

    /** Routes every java.util.logging record at or above {@code level} to {@code errorLog} (null = stderr). */
    public static synchronized void configure(LogLevel level, String errorLog) throws IOException {
        // Opened before anything is reset, so a file that cannot be opened leaves the log as it was.
        OutputStream out = open(errorLog);
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        Level jul = toJul(level);
        root.setLevel(jul);
        Logger.getLogger("io.netty").setLevel(jul.intValue() < Level.INFO.intValue() ? Level.INFO : jul);
        file = errorLog;
        install(root, jul, out);
    }

    /** Reopens the log file (after logrotate moved it); a no-op for stderr. */
    public static synchronized void reopen() throws IOException {
        if (file == null || handler == null) {
            return;
        }
        OutputStream out = open(file);
        Logger root = Logger.getLogger("");
        Level level = handler.getLevel();
        root.removeHandler(handler);
        handler.close();
        install(root, level, out);
    }

    private static OutputStream open(String errorLog) throws IOException {
        return errorLog == null ? new PrintStream(new FileOutputStream(java.io.FileDescriptor.err), true)
                : new FileOutputStream(errorLog, true);
    }

    private static void install(Logger root, Level level, OutputStream out) throws IOException {
        handler = new StreamHandler(out, new LineFormatter()) {
            @Override
            public synchronized void publish(LogRecord record) {
                super.publish(record);
                flush();
            }
        };
        handler.setEncoding(StandardCharsets.UTF_8.name());
        handler.setLevel(level);
        root.addHandler(handler);
    }

    static Level toJul(LogLevel level) {
        return switch (level) {
            case ERROR -> Level.SEVERE;
            case WARN -> Level.WARNING;
            case INFO -> Level.INFO;
            case DEBUG -> Level.FINE;
        };
    }

    /** {@code 2026-11-23T16:46:49.123Z WARN [exchange] message}, then the stack trace if any. */
    static final class LineFormatter extends Formatter {
        @Override
        public String format(LogRecord r) {
            StringBuilder sb = new StringBuilder(160);
            sb.append(Instant.ofEpochMilli(r.getMillis())).append(' ').append(levelName(r.getLevel())).append(" [")
                    .append(shortName(r.getLoggerName())).append("] ").append(formatMessage(r)).append('\n');
            if (r.getThrown() != null) {
                java.io.StringWriter trace = new java.io.StringWriter();
                r.getThrown().printStackTrace(new java.io.PrintWriter(trace));
                trace.toString().lines().forEach(line -> sb.append("    ").append(line).append('\n'));
            }
            return sb.toString();
        }

        private static String levelName(Level level) {
            int v = level.intValue();
            return v >= 1000 ? "ERROR" : v >= 900 ? "WARN" : v >= 800 ? "INFO" : "DEBUG";
        }

        private static String shortName(String logger) {
            if (logger == null) {
                return "-";
            }
            int dot = logger.lastIndexOf('.');
            return dot < 0 ? logger : logger.substring(dot + 1);
        }
    }
}
