package io.gatehouse.protocol.http;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** The Date field value (RFC 9110 5.6.7), formatted at most once per second for all connections. */
final class Http1Date {
    private record Cached(long second, String text) {
    }

    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH);

    private static volatile Cached cached = new Cached(-1, "");

    private Http1Date() {
    }

    static String now() {
        long second = System.currentTimeMillis() / 1000;
        Cached c = cached;
        if (c.second != second) {
            c = new Cached(second, IMF_FIXDATE.format(ZonedDateTime.now(ZoneOffset.UTC)));
            cached = c;
        }
        return c.text;
    }
}
