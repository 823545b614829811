package io.gatehouse.cli.uwsgi;

import io.gatehouse.config.DataSize;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A uWSGI option's value read as uWSGI reads it (leading digits, as strtol does; flags true unless false, off, no
 * or 0) and written in Gatehouse's units, so that {@code reload-on-rss = 256} becomes {@code 256MiB}.
 */
final class UwsgiValue {

    private static final Pattern LEADING_NUMBER = Pattern.compile("\\s*(\\d+(\\.\\d+)?).*");
    private static final long MIB = 1024L * 1024;

    private UwsgiValue() {
    }

    /** A whole number, or an exception naming the option. */
    static long count(UwsgiOption o) {
        return number(o).longValue();
    }

    /** Seconds, as {@code 30s}. */
    static String seconds(UwsgiOption o) {
        return count(o) + "s";
    }

    /** Megabytes (uWSGI's {@code reload-on-rss}, which takes a fraction too), as {@code 256MiB}. */
    static String megabytes(UwsgiOption o) {
        BigDecimal mb = number(o);
        return mb.stripTrailingZeros().scale() <= 0 ? mb.longValue() + "MiB"
                : DataSize.ofBytes(mb.multiply(BigDecimal.valueOf(MIB)).longValue()).toString();
    }

    /** Bytes, as the largest exact unit ({@code 32768} is {@code 32KiB}). */
    static String bytes(UwsgiOption o) {
        return DataSize.ofBytes(count(o)).toString();
    }

    /** A flag: set unless its value is false, off, no or 0 (a bare {@code master} is set). */
    static boolean flag(UwsgiOption o) {
        String v = o.value().toLowerCase(Locale.ROOT);
        return !(v.equals("false") || v.equals("off") || v.equals("no") || v.equals("0"));
    }

    /** Whether the value starts with a number, as the conversions above need. */
    static boolean isNumber(UwsgiOption o) {
        return LEADING_NUMBER.matcher(o.value()).matches();
    }

    private static BigDecimal number(UwsgiOption o) {
        Matcher m = LEADING_NUMBER.matcher(o.value());
        if (!m.matches()) {
            throw new IllegalStateException(o.written() + " was taken for a number");
        }
        return new BigDecimal(m.group(1));
    }
}
