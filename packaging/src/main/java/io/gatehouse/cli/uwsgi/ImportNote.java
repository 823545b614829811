package io.gatehouse.cli.uwsgi;

/** A uWSGI option the conversion did not turn into a key, and why: it needs none, or has no equivalent here. */
public record ImportNote(UwsgiOption option, String reason) {

    /** {@code file:line: name = value: not converted: reason}, as stderr shows it. */
    @Override
    public String toString() {
        return option.where() + ": " + option.written() + ": not converted: " + reason;
    }
}
