package io.gatehouse.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Binds config nodes to records by reflection, at load time only, reporting every mistake rather than the first.
 * Outside this package, a protocol's or runtime's options are bound with {@link ConfigScope#bind}.
 */
public final class Binder {

    private static final Location DEFAULTS = Location.ofFile(Path.of("(defaults)"));

    private Binder() {
    }

    /**
     * Binds {@code node} to {@code type}; {@code path} is the key path of the node for messages, e.g.
     * {@code "listeners[0]"}. Every mistake goes to {@code problems} and binding carries on, so one call reports
     * all of them; the result is then null or a best-effort value. A component that failed takes its default (or
     * null, 0, false, empty) so its record can still be built and checked: compact constructors should tolerate
     * a null that stands for an already-reported mistake. A mistake in the record types themselves (an
     * unsupported component type, a {@code @Default} that does not parse) throws {@link IllegalArgumentException}.
     */
    @SuppressWarnings("unchecked")
    static <T> T bind(ConfigNode node, Class<T> type, String path, Problems problems) {
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
