package io.gatehouse.app;

import java.util.Arrays;
import java.util.function.BiConsumer;

/** Response header fields in order, names compared case-insensitively, repeats allowed (Set-Cookie). */
public final class Headers {
    private String[] pairs;
    private int size;

    /** Empty headers. */
    public Headers() {
        pairs = new String[16];
    }

    /** Headers built from alternating names and values. */
    public static Headers of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values must alternate");
        }
        Headers h = new Headers();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            h.add(namesAndValues[i], namesAndValues[i + 1]);
        }
        return h;
    }

    /** Appends a field, keeping earlier fields of the same name. */
    public Headers add(String name, String value) {
        if (size * 2 == pairs.length) {
            pairs = Arrays.copyOf(pairs, pairs.length * 2);
        }
        pairs[size * 2] = name;
        pairs[size * 2 + 1] = value;
        size++;
        return this;
    }

    /** Replaces every field of this name with one field. */
    public Headers set(String name, String value) {
        remove(name);
        return add(name, value);
    }

    /** The first value of the named field, or null. */
    public String get(String name) {
        for (int i = 0; i < size; i++) {
            if (pairs[i * 2].equalsIgnoreCase(name)) {
                return pairs[i * 2 + 1];
            }
        }
        return null;
    }

    /** True if a field of this name is present. */
    public boolean contains(String name) {
        return get(name) != null;
    }

    /** Removes every field of this name; returns how many were removed. */
    public int remove(String name) {
        int kept = 0;
        for (int i = 0; i < size; i++) {
            if (!pairs[i * 2].equalsIgnoreCase(name)) {
                pairs[kept * 2] = pairs[i * 2];
                pairs[kept * 2 + 1] = pairs[i * 2 + 1];
                kept++;
            }
        }
        int removed = size - kept;
        Arrays.fill(pairs, kept * 2, size * 2, null);
        size = kept;
        return removed;
    }

    /** Number of fields. */
    public int size() {
        return size;
    }

    /** Name of the field at {@code index}. */
    public String name(int index) {
        return pairs[index * 2];
    }

    /** Value of the field at {@code index}. */
    public String value(int index) {
        return pairs[index * 2 + 1];
    }

    /** Calls {@code action} for each field in order. */
    public void forEach(BiConsumer<String, String> action) {
        for (int i = 0; i < size; i++) {
            action.accept(pairs[i * 2], pairs[i * 2 + 1]);
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("[");
        forEach((n, v) -> sb.append(sb.length() > 1 ? ", " : "").append(n).append(": ").append(v));
        return sb.append(']').toString();
    }
}
