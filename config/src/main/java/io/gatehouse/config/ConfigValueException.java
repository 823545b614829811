package io.gatehouse.config;

/** Thrown by a config record's constructor to blame one key's value, so the error points at that value. */
public class ConfigValueException extends IllegalArgumentException {

    private final String key;

    /** {@code key} is the YAML key as written, e.g. {@code "mount"}. */
    public ConfigValueException(String key, String message) {
        super(message);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
