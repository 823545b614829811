package io.gatehouse.core.runtime;

import io.gatehouse.spi.runtime.AppRuntime;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;

/** The runtimes found on the classpath, by name. */
public final class RuntimeCatalog {
    private final Map<String, AppRuntime<?>> byName;

    private RuntimeCatalog(Map<String, AppRuntime<?>> byName) {
        this.byName = byName;
    }

    /** Every {@link AppRuntime} registered with the ServiceLoader of this class's loader. */
    public static RuntimeCatalog load() {
        Map<String, AppRuntime<?>> found = new TreeMap<>();
        for (AppRuntime<?> r : ServiceLoader.load(AppRuntime.class, RuntimeCatalog.class.getClassLoader())) {
            found.putIfAbsent(r.name(), r);
        }
        return new RuntimeCatalog(found);
    }

    /** A catalog of exactly these runtimes (tests). */
    public static RuntimeCatalog of(AppRuntime<?>... runtimes) {
        Map<String, AppRuntime<?>> found = new TreeMap<>();
        for (AppRuntime<?> r : runtimes) {
            found.put(r.name(), r);
        }
        return new RuntimeCatalog(found);
    }

    /** The runtime called {@code name}, or null. */
    public AppRuntime<?> get(String name) {
        return byName.get(name);
    }

    /** All names, sorted. */
    public Set<String> names() {
        return byName.keySet();
    }
}
