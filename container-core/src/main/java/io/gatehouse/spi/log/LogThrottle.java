package io.gatehouse.spi.log;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A log line that clients can cause at any rate (a refused request, a refused connection, a bad PROXY header): the
 * first lines of an interval pass ({@code logging.repeat-limit} of them, or fewer where a throttle asks), the rest
 * are held back and counted, and at the end of the interval one line says how many there were and shows the last. While the flood goes on, each interval gives that one line
 * only; an interval without any line starts afresh. A flood of bad connections thus costs the log a line per
 * interval, not one per connection.
 */
public final class LogThrottle {
    /** The interval. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);
    /** {@code logging.repeat-limit}'s default. */
    public static final int DEFAULT_REPEAT_LIMIT = 20;
    /** {@code logging.repeat-limit}: lines an interval lets through, at most, before holding the rest back; 0: all. */
    private static volatile int repeatLimit = DEFAULT_REPEAT_LIMIT;

    private final Logger logger;
    private final Level level;
    private final String prefix;
    private final int burst;
    private final long intervalNanos;
    private final EventExecutor timer;
    private long windowStart;
    private int passed;
    private long held;
    private String lastHeld;

    /**
     * A throttle of {@code logger}'s lines at {@code level} that lets {@code logging.repeat-limit} lines through per
     * interval; its summary lines start with {@code prefix} (the listener's {@code [name] }, say).
     */
    public LogThrottle(Logger logger, Level level, String prefix) {
        this(logger, level, prefix, 0, DEFAULT_INTERVAL, GlobalEventExecutor.INSTANCE);
    }

    /**
     * As {@link #LogThrottle(Logger, Level, String)}, letting {@code burst} lines through per {@code interval} (0:
     * the repeat-limit; never more than it), summarising on {@code timer}.
     */
    public LogThrottle(Logger logger, Level level, String prefix, int burst, Duration interval, EventExecutor timer) {
        if (burst < 0 || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("burst " + burst + " and interval " + interval + " must be positive");
        }
        this.logger = logger;
        this.level = level;
        this.prefix = prefix;
        this.burst = burst;
        this.intervalNanos = interval.toNanos();
        this.timer = timer;
        this.windowStart = System.nanoTime() - intervalNanos;
    }

    /** Sets {@code logging.repeat-limit} for every throttle: the most lines of one kind per interval, 0 for all. */
    public static void repeatLimit(int limit) {
        repeatLimit = limit;
    }

    /** Logs {@code line}, or counts it towards the interval's summary. */
    public void log(String line) {
        if (!logger.isLoggable(level)) {
            return;
        }
        int limit = repeatLimit;
        int burst = limit == 0 ? Integer.MAX_VALUE : this.burst == 0 ? limit : Math.min(this.burst, limit);
        synchronized (this) {
            long now = System.nanoTime();
            if (held == 0 && now - windowStart >= intervalNanos) {
                windowStart = now;
                passed = 0;
            }
            if (passed >= burst) {
                if (held++ == 0) {
                    timer.schedule(this::summarize, windowStart + intervalNanos - now, TimeUnit.NANOSECONDS);
                }
                lastHeld = line;
                return;
            }
            passed++;
        }
        logger.log(level, line);
    }

    /**
     * Ends an interval that held lines back: one line for them all. The next interval starts with no burst of its
     * own, so that a flood that goes on gives one line per interval.
     */
    private void summarize() {
        long n;
        String last;
        synchronized (this) {
            n = held;
            last = lastHeld;
            held = 0;
            lastHeld = null;
            windowStart = System.nanoTime();
            passed = Integer.MAX_VALUE;
        }
        logger.log(level, prefix + n + " more like this in the last " + seconds() + " s; the last: " + last);
    }

    private String seconds() {
        long millis = TimeUnit.NANOSECONDS.toMillis(intervalNanos);
        return millis % 1000 == 0 ? Long.toString(millis / 1000) : Double.toString(millis / 1000.0);
    }
}
