package io.gatehouse.config;

import java.util.Objects;

/** A YAML scalar after interpolation; {@code text} is null for a YAML null ({@code ~}, {@code null} or nothing). */
record ScalarNode(String text, Location location) implements ConfigNode {

    public ScalarNode {
        Objects.requireNonNull(location, "location");
    }

    /** Whether this scalar is a YAML null. */
    public boolean isNull() {
        return text == null;
    }

    @Override
    public String describe() {
        return text == null ? "null" : "'" + text + "'";
    }
}
