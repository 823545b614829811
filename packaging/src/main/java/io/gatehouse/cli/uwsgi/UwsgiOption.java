package io.gatehouse.cli.uwsgi;

import java.nio.file.Path;

/**
 * One option of a uWSGI config as read: its name, its value after uWSGI's magic variables and placeholders (empty
 * for a bare flag), and where it was written.
 */
public record UwsgiOption(String name, String value, Path file, int line) {

    /** {@code name = value}, as the option reads in an ini file. */
    public String written() {
        return value.isEmpty() ? name : name + " = " + value;
    }

    /** {@code file:line}, for messages. */
    public String where() {
        return file + ":" + line;
    }

    /** The same option with another value (after a placeholder was resolved). */
    UwsgiOption withValue(String newValue) {
        return new UwsgiOption(name, newValue, file, line);
    }
}
