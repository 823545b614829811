package io.gatehouse.config;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown when a configuration has mistakes; carries all of them, one per line in the message, and its warnings. */
public class ConfigException extends RuntimeException {

    private final List<ConfigError> errors;
    private final List<ConfigError> warnings;

    public ConfigException(List<ConfigError> errors) {
        this(errors, List.of());
    }

    /** Mistakes and, beside them, the warnings the same load found (printed with the mistakes, never instead). */
    public ConfigException(List<ConfigError> errors, List<ConfigError> warnings) {
        super(errors.stream().map(ConfigError::toString).collect(Collectors.joining("\n")));
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one error");
        }
        this.errors = List.copyOf(errors);
        this.warnings = List.copyOf(warnings);
    }

    /** The mistakes, sorted by file, line and column. */
    public List<ConfigError> errors() {
        return errors;
    }

    /** The warnings, sorted by file, line and column. */
    public List<ConfigError> warnings() {
        return warnings;
    }
}
