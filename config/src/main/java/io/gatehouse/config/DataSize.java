package io.gatehouse.config;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An amount of memory or bytes, written in config as {@code 512}, {@code 64KiB}, {@code 256M} or {@code 1GB}. */
public record DataSize(long bytes) implements Comparable<DataSize> {

    private static final long KIB = 1024;
    private static final Pattern SIZE = Pattern.compile("(\\d+) ?([A-Za-z]*)");
    // k/M/G without "i" mean powers of 1024 because that is what uWSGI users write (reload-on-rss = 256M).
    private static final Map<String, Long> UNITS = Map.ofEntries(
            Map.entry("", 1L), Map.entry("b", 1L),
            Map.entry("k", KIB), Map.entry("kib", KIB), Map.entry("kb", 1000L),
            Map.entry("m", KIB * KIB), Map.entry("mib", KIB * KIB), Map.entry("mb", 1000L * 1000),
            Map.entry("g", KIB * KIB * KIB), Map.entry("gib", KIB * KIB * KIB), Map.entry("gb", 1000L * 1000 * 1000),
            Map.entry("t", KIB * KIB * KIB * KIB), Map.entry("tib", KIB * KIB * KIB * KIB),
            Map.entry("tb", 1000L * 1000 * 1000 * 1000));
    private static final String[] NAMES = {"TiB", "GiB", "MiB", "KiB", "TB", "GB", "MB", "KB"};
    private static final long[] SIZES = {KIB * KIB * KIB * KIB, KIB * KIB * KIB, KIB * KIB, KIB,
        1000L * 1000 * 1000 * 1000, 1000L * 1000 * 1000, 1000L * 1000, 1000L};

    public DataSize {
        if (bytes < 0) {
            throw new IllegalArgumentException("must not be negative, got " + bytes);
        }
    }

    public static DataSize ofBytes(long bytes) {
        return new DataSize(bytes);
    }

    public static DataSize ofKibibytes(long kibibytes) {
        return new DataSize(Math.multiplyExact(kibibytes, KIB));
    }

    public static DataSize ofMebibytes(long mebibytes) {
        return new DataSize(Math.multiplyExact(mebibytes, KIB * KIB));
    }

    public static DataSize ofGibibytes(long gibibytes) {
        return new DataSize(Math.multiplyExact(gibibytes, KIB * KIB * KIB));
    }

    /** Parses a size; units are case-insensitive, a bare number is bytes. */
    public static DataSize parse(String text) {
        Matcher m = SIZE.matcher(text);
        Long unit = m.matches() ? UNITS.get(m.group(2).toLowerCase(Locale.ROOT)) : null;
        if (unit == null) {
            if (text.startsWith("-") && SIZE.matcher(text.substring(1)).matches()) {
                throw new IllegalArgumentException("must not be negative, got '" + text + "'");
            }
            throw new IllegalArgumentException("expected a size such as 512, 64KiB, 256MiB or 1GB, got '" + text + "'");
        }
        try {
            return new DataSize(Math.multiplyExact(Long.parseLong(m.group(1)), unit));
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("size too large, got '" + text + "'");
        }
    }

    public boolean isZero() {
        return bytes == 0;
    }

    @Override
    public int compareTo(DataSize other) {
        return Long.compare(bytes, other.bytes);
    }

    /** The largest exact unit, binary first: {@code 64KiB}, {@code 1GB}, {@code 1500B}; parses back to the same size. */
    @Override
    public String toString() {
        if (bytes == 0) {
            return "0B";
        }
        for (int i = 0; i < SIZES.length; i++) {
            if (bytes % SIZES[i] == 0) {
                return bytes / SIZES[i] + NAMES[i];
            }
        }
        return bytes + "B";
    }
}
