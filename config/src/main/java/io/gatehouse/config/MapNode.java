package io.gatehouse.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** A YAML mapping: keys in the order written, each with the location of the key itself. */
final class MapNode implements ConfigNode {

    /** One key of a mapping, where the key was written, and its value. */
    public record Entry(String key, Location keyLocation, ConfigNode value) {

        public Entry {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(keyLocation, "keyLocation");
            Objects.requireNonNull(value, "value");
        }
    }

    private final Map<String, Entry> entries;
    private final Location location;
    private final Set<String> ownerKeys;

    /** Builds a mapping; duplicate keys are rejected here because the reader reports them before building. */
    public MapNode(List<Entry> entries, Location location) {
        this(entries, location, Set.of());
    }

    /**
     * A mapping of keys left over by a record ({@code @Rest}); {@code ownerKeys} are that record's keys, offered as
     * suggestions when these keys are bound later, so {@code prtocol} among a listener's options still finds
     * {@code protocol}. They are a hint, not part of the value, and take no part in equality.
     */
    MapNode(List<Entry> entries, Location location, Set<String> ownerKeys) {
        this.ownerKeys = Set.copyOf(ownerKeys);
        this.location = Objects.requireNonNull(location, "location");
        Map<String, Entry> byKey = new LinkedHashMap<>();
        for (Entry entry : entries) {
            if (byKey.putIfAbsent(entry.key(), entry) != null) {
                throw new IllegalArgumentException("duplicate key '" + entry.key() + "'");
            }
        }
        this.entries = Collections.unmodifiableMap(byKey);
    }

    /** An empty mapping at the given location. */
    public static MapNode empty(Location location) {
        return new MapNode(List.of(), location);
    }

    @Override
    public Location location() {
        return location;
    }

    /** The entries in the order they were written. */
    public List<Entry> entries() {
        return List.copyOf(entries.values());
    }

    /** The keys in the order they were written. */
    public Set<String> keys() {
        return entries.keySet();
    }

    /** The value of a key, or null when the key is absent. */
    public ConfigNode get(String key) {
        Entry entry = entries.get(key);
        return entry == null ? null : entry.value();
    }

    /** The entry of a key, or null when the key is absent. */
    public Entry entry(String key) {
        return entries.get(key);
    }

    public boolean containsKey(String key) {
        return entries.containsKey(key);
    }

    public int size() {
        return entries.size();
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    Set<String> ownerKeys() {
        return ownerKeys;
    }

    /** This mapping without one key. */
    public MapNode without(String key) {
        List<Entry> kept = new ArrayList<>(entries.values());
        kept.removeIf(e -> e.key().equals(key));
        return new MapNode(kept, location);
    }

    @Override
    public String describe() {
        return "a mapping";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MapNode other && entries.equals(other.entries) && location.equals(other.location);
    }

    @Override
    public int hashCode() {
        return Objects.hash(entries, location);
    }

    @Override
    public String toString() {
        return "MapNode" + entries.values() + "@" + location;
    }
}
