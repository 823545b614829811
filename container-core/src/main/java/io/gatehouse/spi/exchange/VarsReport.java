package io.gatehouse.spi.exchange;

import java.util.List;

/**
 * What completing a front server's CGI variables had to fill in, and which of uWSGI's "magic" variables it left
 * unobeyed: the listener warns once about each, so a minimal front-end config is noticed without flooding the log.
 *
 * @param defaulted the CGI variables that were missing and got a default (e.g. "REQUEST_METHOD=GET")
 * @param ignored   the uWSGI magic variables present and ignored (e.g. "UWSGI_CHDIR")
 */
public record VarsReport(List<String> defaulted, List<String> ignored) {
    /** Nothing was missing and nothing was ignored. */
    public static final VarsReport NONE = new VarsReport(List.of(), List.of());

    /** True when there is nothing to report. */
    public boolean isEmpty() {
        return defaulted.isEmpty() && ignored.isEmpty();
    }
}
