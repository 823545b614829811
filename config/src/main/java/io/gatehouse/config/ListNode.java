package io.gatehouse.config;

import java.util.List;
import java.util.Objects;

/** A YAML sequence. */
record ListNode(List<ConfigNode> items, Location location) implements ConfigNode {

    public ListNode {
        items = List.copyOf(items);
        Objects.requireNonNull(location, "location");
    }

    @Override
    public String describe() {
        return "a list";
    }
}
