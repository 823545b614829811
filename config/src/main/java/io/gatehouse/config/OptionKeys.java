package io.gatehouse.config;

import java.util.Objects;

/**
 * The keys of an app's or listener's mapping that its record leaves to its runtime or protocol ({@code module},
 * {@code wsgi-file}, {@code secret}...), kept unbound until that one's options record is known; bind them with
 * {@link ConfigScope#bind}. Two are equal when the same keys hold the same values written at the same places.
 */
public final class OptionKeys {

    private final MapNode node;

    OptionKeys(MapNode node) {
        this.node = Objects.requireNonNull(node, "node");
    }

    MapNode node() {
        return node;
    }

    /** Whether the mapping had no keys beyond its record's. */
    boolean isEmpty() {
        return node.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OptionKeys other && node.equals(other.node);
    }

    @Override
    public int hashCode() {
        return node.hashCode();
    }

    @Override
    public String toString() {
        return node.toString();
    }
}
