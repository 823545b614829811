package io.gatehouse.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Binds config nodes to records by reflection, at load time only.
 *
 * <p>Every mistake is recorded in the {@link Problems} sink and binding carries on, so one call reports all of
 * them. A component that failed takes its default (or null, 0, false, empty) so the record can still be built;
 * compact constructors should therefore tolerate nulls that stand for an already-reported mistake.
 */
public final class Binder {

    private static final Location DEFAULTS = Location.ofFile(Path.of("(defaults)"));

    private Binder() {
    }

    /**
     * Binds {@code node} to {@code type}; {@code path} is the key path of the node for messages, e.g.
     * {@code "listeners[0]"}. Returns null, or a best-effort value, when mistakes were recorded.
     */
    @SuppressWarnings("unchecked")
    public static <T> T bind(ConfigNode node, Class<T> type, String path, Problems problems) {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(path, "path");
        if (type.isRecord()) {
            RecordShape.of(type); // a model mistake fails here, before any user input is looked at
        }
        Object value = new ValueBinder(problems).bind(node, type, path);
        return value == ValueBinder.FAILED ? null : (T) value;
    }

    /** The record as bound from an empty mapping: every component at its default. */
    public static <T> T defaults(Class<T> type) {
        Problems problems = new Problems();
        T value = bind(MapNode.empty(DEFAULTS), type, "", problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(type.getName() + " has no all-default form: " + problems);
        }
        return value;
    }
}
