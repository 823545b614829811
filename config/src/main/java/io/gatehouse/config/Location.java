package io.gatehouse.config;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.Objects;

/** Where something was written: a file as the user named it, and a 1-based line and column (0 when unknown). */
public record Location(Path file, int line, int column) implements Comparable<Location> {

    private static final Comparator<Location> ORDER = Comparator
            .comparing((Location l) -> l.file().toString())
            .thenComparingInt(Location::line)
            .thenComparingInt(Location::column);

    public Location {
        Objects.requireNonNull(file, "file");
        if (line < 0 || column < 0) {
            throw new IllegalArgumentException("line and column must not be negative: " + line + ":" + column);
        }
    }

    /** A location naming a whole file, for errors such as a file that cannot be read. */
    public static Location ofFile(Path file) {
        return new Location(file, 0, 0);
    }

    /** Whether this location points at a line and column rather than at a whole file. */
    public boolean hasPosition() {
        return line > 0;
    }

    @Override
    public int compareTo(Location other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return hasPosition() ? file + ":" + line + ":" + column : file.toString();
    }
}
