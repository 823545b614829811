package io.gatehouse.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects the mistakes of one load or bind so that all of them are reported together, not just the first, and the
 * warnings: what is legal but probably not meant.
 */
final class Problems {

    private final List<ConfigError> errors = new ArrayList<>();
    private final List<ConfigError> warnings = new ArrayList<>();
    private int unknownKeys;

    public void add(Location location, String path, String message) {
        errors.add(new ConfigError(location, path, message));
    }

    public void add(ConfigError error) {
        errors.add(error);
    }

    /** Records an unknown key: a mistake that leaves the values of the keys beside it as good as they were. */
    void addUnknownKey(Location location, String path, String message) {
        add(location, path, message);
        unknownKeys++;
    }

    /** Records something legal that is probably not what was meant; it does not make the load fail. */
    void warn(Location location, String path, String message) {
        warnings.add(new ConfigError(location, path, message));
    }

    /** The mistakes so far, sorted by file, line and column, each reported once. */
    public List<ConfigError> errors() {
        return errors.stream().distinct().sorted().toList();
    }

    /** The warnings so far, sorted like the mistakes, each reported once. */
    List<ConfigError> warnings() {
        return warnings.stream().distinct().sorted().toList();
    }

    /** Whether a mistake was recorded at {@code path} or under it ({@code apps[1]} covers {@code apps[1].mount}). */
    boolean failed(String path) {
        return errors.stream().map(ConfigError::path).anyMatch(p -> p.equals(path) || p.startsWith(path + ".")
                || p.startsWith(path + "["));
    }

    /** How many mistakes were recorded; binders compare counts to see whether a step went wrong. */
    public int count() {
        return errors.size();
    }

    /** How many mistakes were recorded that are not unknown keys: those that leave a value unusable. */
    int valueCount() {
        return errors.size() - unknownKeys;
    }

    public boolean isEmpty() {
        return errors.isEmpty();
    }

    /** Throws a {@link ConfigException} holding every mistake, and the warnings, if there is any mistake. */
    public void throwIfAny() {
        if (!errors.isEmpty()) {
            throw new ConfigException(errors(), warnings());
        }
    }

    @Override
    public String toString() {
        return errors().toString();
    }
}
