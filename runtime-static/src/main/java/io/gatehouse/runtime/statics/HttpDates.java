package io.gatehouse.runtime.statics;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** HTTP dates in the IMF-fixdate form (RFC 9110 5.6.7). */
final class HttpDates {
    private static final DateTimeFormatter FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private HttpDates() {
    }

    static String format(long millis) {
        return FIXDATE.format(Instant.ofEpochMilli(millis));
    }

    /** Milliseconds since the epoch, or -1 for null or a date in another form. */
    static long parse(String text) {
        if (text == null) {
            return -1;
        }
        try {
            return ZonedDateTime.parse(text.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            return -1;
        }
    }
}
