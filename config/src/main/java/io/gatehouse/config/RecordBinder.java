package io.gatehouse.config;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongFunction;

/** Binds a mapping to a record: keys to components, defaults, required keys, bounds, unknown keys, constructor checks. */
final class RecordBinder {

    private static final Location DEFAULT_VALUE = Location.ofFile(Path.of("(default)"));

    private final ValueBinder values;
    private final Problems problems;

    RecordBinder(ValueBinder values, Problems problems) {
        this.values = values;
        this.problems = problems;
    }

    Object bind(ConfigNode node, Class<?> type, String path) {
        RecordShape shape = RecordShape.of(type);
        if (!(node instanceof MapNode map)) {
            return values.fail(node, path, "expected a mapping");
        }
        int before = problems.count();
        List<MapNode.Entry> rest = new ArrayList<>();
        for (MapNode.Entry entry : map.entries()) {
            if (shape.byKey.containsKey(entry.key())) {
                continue;
            }
            if (shape.takesRest) {
                rest.add(entry);
            } else {
                Set<String> known = new LinkedHashSet<>(shape.byKey.keySet());
                known.addAll(map.ownerKeys());
                problems.addUnknownKey(entry.keyLocation(), KeyPath.child(path, entry.key()),
                        "unknown key" + KeySuggestion.forUnknownKey(entry.key(), known, path));
            }
        }
        Object[] args = new Object[shape.components.length];
        Set<String> failedKeys = new HashSet<>();
        for (int i = 0; i < args.length; i++) {
            RecordComponent c = shape.components[i];
            if (c.isAnnotationPresent(Origin.class)) {
                args[i] = map.location();
            } else if (c.isAnnotationPresent(Rest.class)) {
                args[i] = new OptionKeys(new MapNode(rest, map.location(), shape.byKey.keySet()));
            } else {
                int mark = problems.count();
                args[i] = component(c, map, path);
                if (problems.count() > mark) {
                    failedKeys.add(KeyNames.keyOf(c));
                }
            }
        }
        return construct(shape, args, map, path, problems.count() > before, failedKeys);
    }

    private Object component(RecordComponent c, MapNode map, String path) {
        String key = KeyNames.keyOf(c);
        ConfigNode node = map.get(key);
        if (node instanceof ScalarNode scalar && scalar.isNull()) {
            node = null; // "pidfile:" with nothing after it means the same as leaving the key out
        }
        if (node == null) {
            if (c.isAnnotationPresent(Required.class)) {
                problems.add(map.location(), path, "missing required key '" + key + "'");
                return empty(c.getType());
            }
            Default fallback = c.getAnnotation(Default.class);
            if (fallback == null) {
                return empty(c.getType());
            }
            node = new ScalarNode(fallback.value(), map.location());
        }
        String keyPath = KeyPath.child(path, key);
        if (isBareNumberWithoutUnit(c, node)) {
            UnitRequired unit = c.getAnnotation(UnitRequired.class);
            String number = ((ScalarNode) node).text();
            problems.add(node.location(), keyPath, number + " what? uWSGI counted " + unit.uwsgi() + "; write "
                    + number + unit.unit());
            return placeholder(c);
        }
        Object value = values.bind(node, c.getGenericType(), keyPath);
        if (value == ValueBinder.FAILED || !withinBounds(c, value, node.location(), keyPath)) {
            return placeholder(c);
        }
        return value;
    }

    /** A bare number (other than 0, which means the same in every unit) where the unit must be written. */
    private static boolean isBareNumberWithoutUnit(RecordComponent c, ConfigNode node) {
        if (!c.isAnnotationPresent(UnitRequired.class) || !(node instanceof ScalarNode scalar)) {
            return false;
        }
        String text = scalar.text();
        return text != null && !text.isEmpty() && text.chars().allMatch(Character::isDigit) && !text.chars().allMatch(ch -> ch == '0');
    }

    /** The value a failed component takes so the record can still be built and checked further. */
    private static Object placeholder(RecordComponent c) {
        Default fallback = c.getAnnotation(Default.class);
        if (fallback != null) {
            Object value = new ValueBinder(new Problems())
                    .bind(new ScalarNode(fallback.value(), DEFAULT_VALUE), c.getGenericType(), "");
            if (value != ValueBinder.FAILED) {
                return value;
            }
        }
        return empty(c.getType());
    }

    private static Object empty(Class<?> type) {
        if (type == int.class) {
            return 0;
        }
        if (type == long.class) {
            return 0L;
        }
        if (type == double.class) {
            return 0.0;
        }
        if (type == boolean.class) {
            return false;
        }
        if (type == List.class) {
            return List.of();
        }
        return type == Map.class ? Map.of() : null;
    }

    private boolean withinBounds(RecordComponent c, Object value, Location at, String path) {
        Min min = c.getAnnotation(Min.class);
        Max max = c.getAnnotation(Max.class);
        if (value == null || (min == null && max == null)) {
            return true;
        }
        long amount;
        LongFunction<String> show;
        if (value instanceof Duration duration) {
            amount = duration.toMillis();
            show = ms -> ms < 0 ? ms + "ms" : DurationFormat.format(Duration.ofMillis(ms));
        } else if (value instanceof DataSize size) {
            amount = size.bytes();
            show = bytes -> bytes < 0 ? bytes + "B" : new DataSize(bytes).toString();
        } else {
            amount = ((Number) value).longValue();
            show = Long::toString;
        }
        if (min != null && amount < min.value()) {
            problems.add(at, path, "must be at least " + show.apply(min.value()) + ", got " + show.apply(amount));
            return false;
        }
        if (max != null && amount > max.value()) {
            problems.add(at, path, "must be at most " + show.apply(max.value()) + ", got " + show.apply(amount));
            return false;
        }
        return true;
    }

    /**
     * Builds the record. A key its constructor blames is reported, then given its placeholder and the record built
     * again, so that the checks after binding (an app's runtime, whose files must exist) still see it and one run
     * reports every mistake; those checks skip what already failed ({@link ConfigScope#failed}).
     */
    private Object construct(RecordShape shape, Object[] args, MapNode map, String path, boolean hadErrors,
            Set<String> failedKeys) {
        boolean errors = hadErrors;
        for (int attempt = 0; attempt <= args.length; attempt++) {
            try {
                return shape.constructor.newInstance(args);
            } catch (InvocationTargetException e) {
                Object rejected = rejected(e.getCause(), map, path, errors, failedKeys);
                String key = e.getCause() instanceof ConfigValueException v ? v.key() : null;
                RecordComponent blamed = key == null ? null : shape.byKey.get(key);
                if (blamed == null || !failedKeys.add(key)) {
                    return rejected;
                }
                errors = true;
                args[Arrays.asList(shape.components).indexOf(blamed)] = placeholder(blamed);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot construct " + shape.constructor.getDeclaringClass().getName(),
                        e);
            }
        }
        return ValueBinder.FAILED;
    }

    private Object rejected(Throwable cause, MapNode map, String path, boolean hadErrors, Set<String> failedKeys) {
        if (cause instanceof ConfigValueException blamed) {
            // A key that already failed holds a placeholder; blaming it again would only repeat the first error.
            if (!failedKeys.contains(blamed.key())) {
                MapNode.Entry entry = map.entry(blamed.key());
                Location at = entry == null ? map.location() : entry.value().location();
                problems.add(at, KeyPath.child(path, blamed.key()), message(blamed));
            }
            return ValueBinder.FAILED;
        }
        if (cause instanceof IllegalArgumentException wrong) {
            problems.add(map.location(), path, message(wrong));
            return ValueBinder.FAILED;
        }
        if (hadErrors) {
            // Most likely a placeholder tripped a null check; the real mistake is already reported.
            return ValueBinder.FAILED;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        throw new IllegalStateException("the record for " + (path.isEmpty() ? "the document" : path)
                + " failed without a config error", cause);
    }

    private static String message(IllegalArgumentException e) {
        return e.getMessage() == null ? "invalid value" : e.getMessage();
    }
}
