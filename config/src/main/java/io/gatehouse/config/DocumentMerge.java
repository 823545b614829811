package io.gatehouse.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Merges an included document into the including one: mappings key by key, lists end to end, single values never. */
final class DocumentMerge {

    private DocumentMerge() {
    }

    /** {@code base} with {@code added} merged in; keys keep the order and location where they first appeared. */
    static MapNode merge(MapNode base, MapNode added, String path, Problems problems) {
        Map<String, MapNode.Entry> entries = new LinkedHashMap<>();
        for (MapNode.Entry entry : base.entries()) {
            entries.put(entry.key(), entry);
        }
        for (MapNode.Entry entry : added.entries()) {
            MapNode.Entry existing = entries.get(entry.key());
            if (existing == null) {
                entries.put(entry.key(), entry);
            } else {
                ConfigNode value = mergeValue(existing.value(), entry.value(),
                        KeyPath.child(path, entry.key()), problems);
                entries.put(entry.key(), new MapNode.Entry(entry.key(), existing.keyLocation(), value));
            }
        }
        return new MapNode(List.copyOf(entries.values()), base.location());
    }

    private static ConfigNode mergeValue(ConfigNode first, ConfigNode second, String path, Problems problems) {
        // "apps:" left empty in one file is a placeholder, not a value that conflicts with the other file's list.
        if (second instanceof ScalarNode scalar && scalar.isNull()) {
            return first;
        }
        if (first instanceof ScalarNode scalar && scalar.isNull()) {
            return second;
        }
        if (first instanceof MapNode a && second instanceof MapNode b) {
            return merge(a, b, path, problems);
        }
        if (first instanceof ListNode a && second instanceof ListNode b) {
            List<ConfigNode> items = new ArrayList<>(a.items());
            items.addAll(b.items());
            return new ListNode(items, a.location());
        }
        if (first instanceof ScalarNode && second instanceof ScalarNode) {
            problems.add(second.location(), path, "already set at " + first.location());
        } else {
            problems.add(second.location(), path,
                    "is " + kind(second) + " here but " + kind(first) + " at " + first.location());
        }
        return first;
    }

    private static String kind(ConfigNode node) {
        return node instanceof ScalarNode ? "a single value" : node.describe();
    }
}
