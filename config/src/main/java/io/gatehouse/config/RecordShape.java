package io.gatehouse.config;

import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What a config record declares: its YAML keys, where the unknown keys go, and how to construct it. */
final class RecordShape {

    private static final ClassValue<RecordShape> SHAPES = new ClassValue<>() {
        @Override
        protected RecordShape computeValue(Class<?> type) {
            return new RecordShape(type, new HashSet<>());
        }
    };
    private static final Location DEFAULT_AT = Location.ofFile(Path.of("(default)"));
    private static final Set<Class<?>> BOUNDED = Set.of(
            int.class, Integer.class, long.class, Long.class, Duration.class, DataSize.class);

    final RecordComponent[] components;
    final Map<String, RecordComponent> byKey;
    final boolean takesRest;
    final Constructor<?> constructor;

    /**
     * The shape of a record type, checked once per type: a model mistake (an unsupported component type,
     * {@code @Min} on a string) fails at once with an exception, never as a config error for the user.
     */
    static RecordShape of(Class<?> type) {
        return SHAPES.get(type);
    }

    private RecordShape(Class<?> type, Set<Class<?>> seen) {
        if (!type.isRecord()) {
            throw new IllegalArgumentException(type.getName() + " is not a record");
        }
        seen.add(type);
        components = type.getRecordComponents();
        Map<String, RecordComponent> keys = new LinkedHashMap<>();
        int rests = 0;
        for (RecordComponent c : components) {
            String where = type.getSimpleName() + "." + c.getName();
            if (c.isAnnotationPresent(Origin.class)) {
                require(c.getType() == Location.class, "@Origin needs a Location component: " + where);
            } else if (c.isAnnotationPresent(Rest.class)) {
                require(c.getType() == OptionKeys.class, "@Rest needs an OptionKeys component: " + where);
                rests++;
            } else {
                checkDeclaration(c, where, seen);
                require(keys.put(KeyNames.keyOf(c), c) == null, "two components use the key of " + where);
            }
        }
        require(rests <= 1, "more than one @Rest component in " + type.getName());
        byKey = Collections.unmodifiableMap(keys);
        takesRest = rests == 1;
        Class<?>[] types = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
        try {
            constructor = type.getDeclaredConstructor(types);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("no canonical constructor in " + type.getName(), e);
        }
        // Records declared in other packages or nested privately still bind, as reading config is their only use.
        constructor.trySetAccessible();
    }

    private static void checkDeclaration(RecordComponent c, String where, Set<Class<?>> seen) {
        boolean bounded = c.isAnnotationPresent(Min.class) || c.isAnnotationPresent(Max.class);
        require(!bounded || BOUNDED.contains(c.getType()), "@Min/@Max do not apply to the type of " + where);
        require(!c.isAnnotationPresent(UnitRequired.class) || c.getType() == DataSize.class
                || c.getType() == Duration.class, "@UnitRequired applies to sizes and durations only: " + where);
        require(!(c.isAnnotationPresent(Required.class) && c.isAnnotationPresent(Default.class)),
                "@Required and @Default together on " + where);
        checkType(c.getGenericType(), where, seen);
        Default fallback = c.getAnnotation(Default.class);
        if (fallback != null) {
            boolean mapping = c.getType().isRecord() && !ScalarTypes.supports(c.getType());
            require(!mapping, "@Default does not apply to a record written as a mapping: " + where);
            Problems problems = new Problems();
            new ValueBinder(problems).bind(new ScalarNode(fallback.value(), DEFAULT_AT), c.getGenericType(), where);
            require(problems.isEmpty(), "@Default(\"" + fallback.value() + "\") does not fit " + where + ": "
                    + problems.errors().stream().map(ConfigError::message).toList());
        }
    }

    /** Fails unless the binder knows how to bind {@code type}. */
    static void checkType(Type type, String where, Set<Class<?>> seen) {
        Class<?> raw = rawClass(type, where);
        if (raw == List.class) {
            checkType(typeArgument(type, 0, where), where, seen);
        } else if (raw == Map.class) {
            require(typeArgument(type, 0, where) == String.class, "map keys must be String in " + where);
            checkType(typeArgument(type, 1, where), where, seen);
        } else if (raw == Location.class) {
            throw new IllegalArgumentException("a Location component needs @Origin: " + where);
        } else if (ConfigNode.class.isAssignableFrom(raw) || ScalarTypes.supports(raw)) {
            return;
        } else if (raw.isRecord()) {
            if (!seen.contains(raw)) {
                new RecordShape(raw, seen);
            }
        } else {
            throw new IllegalArgumentException("unsupported config type " + type.getTypeName() + " in " + where);
        }
    }

    static Class<?> rawClass(Type type, String where) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> c) {
            return c;
        }
        throw new IllegalArgumentException("unsupported config type " + type.getTypeName() + " in " + where);
    }

    static Type typeArgument(Type type, int index, String where) {
        if (type instanceof ParameterizedType p) {
            return p.getActualTypeArguments()[index];
        }
        throw new IllegalArgumentException("raw " + type.getTypeName() + " needs type arguments in " + where);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
