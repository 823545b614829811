package io.gatehouse.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A size or duration whose uWSGI namesake counted in another unit than a bare number means here, so a bare number
 * other than 0 is refused rather than silently read in the wrong unit: {@code reload-on-rss: 256} is "256 what?
 * uWSGI counted megabytes; write 256MiB".
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface UnitRequired {

    /** What uWSGI's option counted, in words, e.g. {@code "megabytes"}. */
    String uwsgi();

    /** The unit that keeps the uWSGI meaning, e.g. {@code "MiB"}. */
    String unit();
}
