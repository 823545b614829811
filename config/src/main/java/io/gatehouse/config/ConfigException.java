package io.gatehouse.config;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown when a configuration has mistakes; carries all of them, one per line in the message. */
public class ConfigException extends RuntimeException {

    private final List<ConfigError> errors;

    public ConfigException(List<ConfigError> errors) {
        super(errors.stream().map(ConfigError::toString).collect(Collectors.joining("\n")));
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one error");
        }
        this.errors = List.copyOf(errors);
    }

    /** The mistakes, sorted by file, line and column. */
    public List<ConfigError> errors() {
        return errors;
    }
}
