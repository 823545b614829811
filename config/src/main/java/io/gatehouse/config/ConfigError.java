package io.gatehouse.config;

import java.util.Comparator;
import java.util.Objects;

/** One configuration mistake (or warning): where, under which key path (empty for the document itself), and what. */
public record ConfigError(Location location, String path, String message) implements Comparable<ConfigError> {

    private static final Comparator<ConfigError> ORDER = Comparator
            .comparing(ConfigError::location)
            .thenComparing(ConfigError::path)
            .thenComparing(ConfigError::message);

    public ConfigError {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public int compareTo(ConfigError other) {
        return ORDER.compare(this, other);
    }

    /** As a warning: {@code file:line:col: warning: key.path: message}. */
    public String asWarning() {
        return location + ": warning: " + (path.isEmpty() ? "" : path + ": ") + message;
    }

    /** {@code file:line:col: key.path: message}, leaving out the parts that are unknown. */
    @Override
    public String toString() {
        return location + ": " + (path.isEmpty() ? "" : path + ": ") + message;
    }
}
