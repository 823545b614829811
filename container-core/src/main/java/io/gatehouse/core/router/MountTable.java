package io.gatehouse.core.router;

import java.util.HashMap;
import java.util.Map;

/**
 * The mounts of one virtual host. A mount matches its own path and everything below it on a segment boundary:
 * {@code /app} takes {@code /app} and {@code /app/x}, never {@code /application}. The longest match wins,
 * found by trying the path and each of its parents in a hash map: no scan over mounts, no regex.
 */
final class MountTable {

    /** A matched mount: its prefix and where it leads. */
    record Mount(String prefix, Dispatcher dispatcher) {
    }

    private final Map<String, Mount> byPrefix = new HashMap<>();

    /** Adds a mount; false if the prefix is already taken. */
    boolean add(String prefix, Dispatcher dispatcher) {
        return byPrefix.putIfAbsent(prefix, new Mount(prefix, dispatcher)) == null;
    }

    /** The longest mount covering {@code path} (which starts with '/'), or null. */
    Mount match(String path) {
        Mount m = byPrefix.get(path);
        if (m != null) {
            return m;
        }
        for (int slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/', slash - 1)) {
            m = byPrefix.get(path.substring(0, slash));
            if (m != null) {
                return m;
            }
        }
        return byPrefix.get("/");
    }

    boolean isEmpty() {
        return byPrefix.isEmpty();
    }
}
