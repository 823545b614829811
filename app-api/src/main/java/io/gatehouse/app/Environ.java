package io.gatehouse.app;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The CGI/WSGI environ of one request: native strings (bytes decoded as ISO-8859-1), in insertion order.
 *
 * <p>Backed by parallel arrays rather than a hash map: an environ holds a few dozen keys, is filled once
 * by a listener and read a handful of times, so a scan over cached hash codes beats hashing buckets.
 */
public final class Environ {
    private String[] keys;
    private String[] values;
    private int[] hashes;
    private int size;

    /** An empty environ sized for a typical request. */
    public Environ() {
        this(32);
    }

    /** An empty environ with room for {@code capacity} keys before it grows. */
    public Environ(int capacity) {
        keys = new String[capacity];
        values = new String[capacity];
        hashes = new int[capacity];
    }

    /** The value of {@code key}, or null. */
    public String get(String key) {
        int i = indexOf(key);
        return i < 0 ? null : values[i];
    }

    /** The value of {@code key}, or {@code fallback} when absent. */
    public String getOrDefault(String key, String fallback) {
        int i = indexOf(key);
        return i < 0 ? fallback : values[i];
    }

    /** True if the key is present. */
    public boolean contains(String key) {
        return indexOf(key) >= 0;
    }

    /** Sets {@code key} to {@code value}, replacing an earlier value in place. */
    public Environ put(String key, String value) {
        int i = indexOf(key);
        if (i >= 0) {
            values[i] = value;
            return this;
        }
        append(key, value);
        return this;
    }

    /**
     * Adds a key known not to be present yet (a listener filling a fresh environ), skipping the lookup.
     * A repeated key would shadow nothing: {@link #get} returns the first.
     */
    public Environ append(String key, String value) {
        if (size == keys.length) {
            grow();
        }
        keys[size] = key;
        values[size] = value;
        hashes[size] = key.hashCode();
        size++;
        return this;
    }

    /** Sets {@code key} only when absent. */
    public Environ putIfAbsent(String key, String value) {
        if (indexOf(key) < 0) {
            append(key, value);
        }
        return this;
    }

    /** Removes {@code key}, returning its value or null. */
    public String remove(String key) {
        int i = indexOf(key);
        if (i < 0) {
            return null;
        }
        String old = values[i];
        int tail = size - i - 1;
        System.arraycopy(keys, i + 1, keys, i, tail);
        System.arraycopy(values, i + 1, values, i, tail);
        System.arraycopy(hashes, i + 1, hashes, i, tail);
        size--;
        keys[size] = null;
        values[size] = null;
        return old;
    }

    /** Number of keys. */
    public int size() {
        return size;
    }

    /** The key at position {@code index} (insertion order). */
    public String key(int index) {
        return keys[index];
    }

    /** The value at position {@code index} (insertion order). */
    public String value(int index) {
        return values[index];
    }

    /** Calls {@code action} for every key and value, in insertion order. */
    public void forEach(BiConsumer<String, String> action) {
        for (int i = 0; i < size; i++) {
            action.accept(keys[i], values[i]);
        }
    }

    /** A copy as an insertion-ordered map. */
    public Map<String, String> toMap() {
        Map<String, String> map = new LinkedHashMap<>(size * 2);
        forEach(map::put);
        return map;
    }

    private int indexOf(String key) {
        int h = key.hashCode();
        for (int i = 0; i < size; i++) {
            if (hashes[i] == h && keys[i].equals(key)) {
                return i;
            }
        }
        return -1;
    }

    private void grow() {
        int capacity = Math.max(8, keys.length * 2);
        keys = Arrays.copyOf(keys, capacity);
        values = Arrays.copyOf(values, capacity);
        hashes = Arrays.copyOf(hashes, capacity);
    }

    @Override
    public String toString() {
        return toMap().toString();
    }
}
