package io.gatehouse.config;

import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Binds a node to a Java type, recording what is wrong and carrying on instead of stopping at the first mistake. */
final class ValueBinder {

    /** Returned when a node could not be bound; the reason has been recorded. */
    static final Object FAILED = new Object();

    private final Problems problems;
    private final RecordBinder records;

    ValueBinder(Problems problems) {
        this.problems = problems;
        this.records = new RecordBinder(this, problems);
    }

    Object bind(ConfigNode node, Type type, String path) {
        Class<?> raw = RecordShape.rawClass(type, path);
        if (raw == List.class) {
            return bindList(node, RecordShape.typeArgument(type, 0, path), path);
        }
        if (raw == Map.class) {
            return bindMap(node, RecordShape.typeArgument(type, 1, path), path);
        }
        if (ConfigNode.class.isAssignableFrom(raw)) {
            return raw.isInstance(node) ? node : fail(node, path, "expected " + nodeKind(raw));
        }
        if (ScalarTypes.supports(raw)) {
            return bindScalar(node, raw, path);
        }
        if (raw.isRecord()) {
            return records.bind(node, raw, path);
        }
        throw new IllegalArgumentException("unsupported config type " + type.getTypeName() + " at " + path);
    }

    private Object bindScalar(ConfigNode node, Class<?> type, String path) {
        if (!(node instanceof ScalarNode scalar) || scalar.isNull()) {
            return fail(node, path, ScalarTypes.expected(type) + ", got " + node.describe());
        }
        try {
            return ScalarTypes.convert(type, scalar.text());
        } catch (IllegalArgumentException e) {
            return fail(node, path, e.getMessage());
        }
    }

    private Object bindList(ConfigNode node, Type elementType, String path) {
        List<ConfigNode> items;
        boolean single = false;
        if (node instanceof ListNode list) {
            items = list.items();
        } else if (node instanceof ScalarNode) {
            // "hosts: example.com" reads better than a one-item list, and uWSGI options work that way too.
            items = List.of(node);
            single = true;
        } else {
            return fail(node, path, "expected a list");
        }
        List<Object> values = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            Object value = bind(items.get(i), elementType, single ? path : KeyPath.index(path, i));
            // A failed item stays as null so that indexes still match the YAML for later checks.
            values.add(value == FAILED ? null : value);
        }
        return Collections.unmodifiableList(values);
    }

    private Object bindMap(ConfigNode node, Type valueType, String path) {
        if (!(node instanceof MapNode map)) {
            return fail(node, path, "expected a mapping");
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (MapNode.Entry entry : map.entries()) {
            Object value = bind(entry.value(), valueType, KeyPath.child(path, entry.key()));
            if (value != FAILED) {
                values.put(entry.key(), value);
            }
        }
        return Collections.unmodifiableMap(values);
    }

    Object fail(ConfigNode node, String path, String message) {
        problems.add(node.location(), path, message);
        return FAILED;
    }

    private static String nodeKind(Class<?> type) {
        if (type == MapNode.class) {
            return "a mapping";
        }
        return type == ListNode.class ? "a list" : "a single value";
    }
}
