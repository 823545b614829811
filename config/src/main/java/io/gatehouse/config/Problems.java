package io.gatehouse.config;

import java.util.ArrayList;
import java.util.List;

/** Collects the mistakes of one load or bind so that all of them are reported together, not just the first. */
final class Problems {

    private final List<ConfigError> errors = new ArrayList<>();

    public void add(Location location, String path, String message) {
        errors.add(new ConfigError(location, path, message));
    }

    public void add(ConfigError error) {
        errors.add(error);
    }

    /** The mistakes so far, sorted by file, line and column, each reported once. */
    public List<ConfigError> errors() {
        return errors.stream().distinct().sorted().toList();
    }

    /** How many mistakes were recorded; binders compare counts to see whether a step went wrong. */
    public int count() {
        return errors.size();
    }

    public boolean isEmpty() {
        return errors.isEmpty();
    }

    /** Throws a {@link ConfigException} holding every mistake, if there is any. */
    public void throwIfAny() {
        if (!errors.isEmpty()) {
            throw new ConfigException(errors());
        }
    }

    @Override
    public String toString() {
        return errors().toString();
    }
}
