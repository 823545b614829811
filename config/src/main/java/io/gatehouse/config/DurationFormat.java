package io.gatehouse.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads and writes durations the way a config file spells them: {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}, {@code 1d}. */
final class DurationFormat {

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)?");
    private static final String EXPECTED = "expected a duration such as 30s, 500ms, 2m, 1h";

    private DurationFormat() {
    }

    /** Parses a duration; a bare number means seconds, as in uWSGI's harakiri and friends. */
    static Duration parse(String text) {
        Matcher m = DURATION.matcher(text);
        if (!m.matches()) {
            if (text.startsWith("-") && DURATION.matcher(text.substring(1)).matches()) {
                throw new IllegalArgumentException("must not be negative, got '" + text + "'");
            }
            throw new IllegalArgumentException(EXPECTED + ", got '" + text + "'");
        }
        try {
            long amount = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            return switch (unit) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("duration too large, got '" + text + "'");
        }
    }

    /** The shortest exact spelling: {@code 90s} stays {@code 90s}, {@code 120s} becomes {@code 2m}. */
    static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis == 0) {
            return "0s";
        }
        if (millis % 1000 != 0) {
            return millis + "ms";
        }
        long seconds = millis / 1000;
        if (seconds % 86_400 == 0) {
            return seconds / 86_400 + "d";
        }
        if (seconds % 3600 == 0) {
            return seconds / 3600 + "h";
        }
        if (seconds % 60 == 0) {
            return seconds / 60 + "m";
        }
        return seconds + "s";
    }
}
