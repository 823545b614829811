package io.gatehouse.cli.uwsgi;

import java.nio.file.Path;

/** A uWSGI config that cannot be read: the file, the line when known, and what is wrong. */
public final class UwsgiFormatException extends RuntimeException {

    public UwsgiFormatException(Path file, int line, String message) {
        super(file + (line > 0 ? ":" + line : "") + ": " + message);
    }
}
