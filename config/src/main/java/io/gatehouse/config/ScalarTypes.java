package io.gatehouse.config;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Converts scalar text into the Java types a config record may declare for a single value. */
final class ScalarTypes {

    private static final Pattern INTEGER = Pattern.compile("[-+]?\\d+");
    private static final Pattern DECIMAL = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");
    private static final Map<Class<?>, Class<?>> BOXES = Map.of(
            int.class, Integer.class, long.class, Long.class, boolean.class, Boolean.class, double.class, Double.class);

    private ScalarTypes() {
    }

    /** Whether values of this type are written as one scalar. */
    static boolean supports(Class<?> type) {
        Class<?> boxed = BOXES.getOrDefault(type, type);
        return boxed == String.class || boxed == Integer.class || boxed == Long.class || boxed == Boolean.class
                || boxed == Double.class || boxed == Duration.class || type.isEnum() || parseMethod(type) != null;
    }

    /** The value of {@code text} as {@code type}; a wrong text throws an exception whose message is the error. */
    static Object convert(Class<?> type, String text) {
        Class<?> boxed = BOXES.getOrDefault(type, type);
        if (boxed == String.class) {
            return text;
        }
        if (boxed == Integer.class) {
            return (int) integer(text, Integer.MIN_VALUE, Integer.MAX_VALUE);
        }
        if (boxed == Long.class) {
            return integer(text, Long.MIN_VALUE, Long.MAX_VALUE);
        }
        if (boxed == Boolean.class) {
            return bool(text);
        }
        if (boxed == Double.class) {
            if (!DECIMAL.matcher(text).matches()) {
                throw new IllegalArgumentException("expected a number, got '" + text + "'");
            }
            return Double.parseDouble(text);
        }
        if (boxed == Duration.class) {
            return DurationFormat.parse(text);
        }
        if (type.isEnum()) {
            return constant(type, text);
        }
        return parse(type, text);
    }

    /** What a scalar of this type looks like, for the message when a mapping or list is written instead. */
    static String expected(Class<?> type) {
        Class<?> boxed = BOXES.getOrDefault(type, type);
        if (boxed == String.class) {
            return "expected a string";
        }
        if (boxed == Integer.class || boxed == Long.class) {
            return "expected an integer";
        }
        if (boxed == Boolean.class) {
            return "expected true or false";
        }
        if (boxed == Double.class) {
            return "expected a number";
        }
        if (boxed == Duration.class) {
            return "expected a duration such as 30s, 500ms, 2m, 1h";
        }
        if (type.isEnum()) {
            return "expected one of " + choices(type);
        }
        String words = KeyNames.kebab(type.getSimpleName()).replace('-', ' ');
        return "expected " + ("aeiou".indexOf(words.charAt(0)) >= 0 ? "an " : "a ") + words;
    }

    private static long integer(String text, long min, long max) {
        if (!INTEGER.matcher(text).matches()) {
            throw new IllegalArgumentException("expected an integer, got '" + text + "'");
        }
        try {
            long value = Long.parseLong(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException tooLong) {
            // Same answer as an in-range failure below.
        }
        throw new IllegalArgumentException("expected an integer from " + min + " to " + max + ", got '" + text + "'");
    }

    private static boolean bool(String text) {
        if (text.equalsIgnoreCase("true")) {
            return true;
        }
        if (text.equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException("expected true or false, got '" + text + "'");
    }

    private static Object constant(Class<?> type, String text) {
        String wanted = text.toLowerCase(Locale.ROOT);
        for (Object constant : type.getEnumConstants()) {
            if (KeyNames.enumKey((Enum<?>) constant).equals(wanted)) {
                return constant;
            }
        }
        throw new IllegalArgumentException("expected one of " + choices(type) + ", got '" + text + "'");
    }

    private static String choices(Class<?> type) {
        return Arrays.stream(type.getEnumConstants())
                .map(c -> KeyNames.enumKey((Enum<?>) c))
                .collect(Collectors.joining(", "));
    }

    private static Object parse(Class<?> type, String text) {
        Method parse = parseMethod(type);
        if (parse == null) {
            throw new IllegalStateException(type.getName() + " is not a scalar config type");
        }
        try {
            return parse.invoke(null, text);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IllegalArgumentException wrong) {
                String message = wrong.getMessage() != null ? wrong.getMessage() : expected(type) + ", got '" + text + "'";
                throw new IllegalArgumentException(message, wrong);
            }
            throw new IllegalStateException(type.getName() + ".parse failed on '" + text + "'", e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(type.getName() + ".parse is not accessible", e);
        }
    }

    /** A public static {@code parse(String)} returning the type, which makes any class a scalar type. */
    private static Method parseMethod(Class<?> type) {
        try {
            Method method = type.getMethod("parse", String.class);
            boolean usable = Modifier.isStatic(method.getModifiers()) && type.isAssignableFrom(method.getReturnType());
            return usable ? method : null;
        } catch (NoSuchMethodException e) {
            return null;
        }
    }
}
