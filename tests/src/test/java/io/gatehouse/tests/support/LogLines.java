package io.gatehouse.tests.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

/** Counting what a process logged, for assertions that a line appears once, a number of times, or not at all. */
public final class LogLines {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private LogLines() {
    }

    /** How often {@code needle} occurs in {@code text}, occurrences not overlapping. */
    public static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) {
            n++;
        }
        return n;
    }

    /**
     * The WARN and ERROR lines of {@code log}, but for the advice a root master gives about each app without a
     * {@code user:} (the suite runs as root in CI, and that line says nothing about what a test does).
     */
    public static int problems(String log) {
        return (int) log.lines().filter(l -> (l.contains(" WARN ") || l.contains(" ERROR "))
                && !l.contains(ROOT_ADVICE)).count();
    }

    private static final String ROOT_ADVICE = "runs as root: the master is root and the app has no user:";

    /** Waits until {@code process} has logged {@code text} {@code times} times (at most 10 s). */
    public static void awaitCount(LoggedProcess process, String text, int times) {
        Await.until(times + " log lines with '" + text + "'", WAIT, () -> count(process.output(), text) >= times);
        assertEquals(times, count(process.output(), text), process.output());
    }

    /** Waits until {@code process} has logged {@code text}, then checks it did so exactly once. */
    public static void assertLoggedOnce(LoggedProcess process, String text) {
        awaitCount(process, text, 1);
    }
}
