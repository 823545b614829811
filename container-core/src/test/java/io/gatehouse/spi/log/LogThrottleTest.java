package io.gatehouse.spi.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.util.concurrent.DefaultEventExecutor;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A flood of lines becomes its first few and one summary per interval. */
class LogThrottleTest {
    static final Duration INTERVAL = Duration.ofMillis(300);

    final Logger logger = Logger.getLogger("test.throttle." + System.nanoTime());
    final List<String> lines = new CopyOnWriteArrayList<>();
    final DefaultEventExecutor timer = new DefaultEventExecutor();
    LogThrottle throttle;

    @BeforeEach
    void capture() {
        logger.setUseParentHandlers(false);
        logger.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(record.getLevel() + " " + record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
        throttle = new LogThrottle(logger, Level.WARNING, "[web] ", 3, INTERVAL, timer);
    }

    @AfterEach
    void stop() {
        timer.shutdownGracefully(0, 0, TimeUnit.SECONDS);
    }

    @Test
    void letsTheBurstThroughThenSummarisesTheRestOnceTheIntervalEnds() throws Exception {
        for (int i = 0; i < 10; i++) {
            throttle.log("line " + i);
        }
        assertEquals(List.of("WARNING line 0", "WARNING line 1", "WARNING line 2"), lines);
        Thread.sleep(INTERVAL.toMillis() + 200);
        assertEquals(4, lines.size(), lines::toString);
        assertEquals("WARNING [web] 7 more like this in the last 0.3 s; the last: line 9", lines.get(3));
    }

    @Test
    void givesAFloodThatGoesOnOneLinePerInterval() throws Exception {
        for (int i = 0; i < 5; i++) {
            throttle.log("first " + i);
        }
        Thread.sleep(INTERVAL.toMillis() + 100);
        for (int i = 0; i < 5; i++) {
            throttle.log("second " + i);
        }
        Thread.sleep(INTERVAL.toMillis() + 200);
        assertEquals(5, lines.size(), lines::toString);
        assertTrue(lines.get(3).endsWith("2 more like this in the last 0.3 s; the last: first 4"), lines::toString);
        assertTrue(lines.get(4).endsWith("5 more like this in the last 0.3 s; the last: second 4"), lines::toString);
    }

    @Test
    void startsAfreshAfterAQuietInterval() throws Exception {
        for (int i = 0; i < 4; i++) {
            throttle.log("a " + i);
        }
        Thread.sleep(3 * INTERVAL.toMillis());
        throttle.log("b");
        assertEquals("WARNING b", lines.get(lines.size() - 1), lines::toString);
        assertEquals(5, lines.size(), "3 lines, the summary of 1, then a fresh burst: " + lines);
    }

    @Test
    void costsNothingWhenTheLevelIsOff() throws Exception {
        logger.setLevel(Level.SEVERE);
        for (int i = 0; i < 10; i++) {
            throttle.log("line " + i);
        }
        Thread.sleep(INTERVAL.toMillis() + 200);
        assertEquals(List.of(), lines);
    }
}
