package io.gatehouse.core.master;

import io.gatehouse.core.master.ResolvedConfig.ResolvedApp;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one reload reads and which apps it gives new workers though their config did not change (to load new code).
 * Requests that wait for the same reload are {@linkplain #with merged}.
 *
 * @param whole   the main file and every apps-dir file are read anew and everything they change is applied
 * @param code    every app whose runtime loads code gets new workers ({@code gatehouse reload}, SIGHUP)
 * @param apps    apps whose config is read anew and whose workers are replaced ({@code gatehouse reload --app});
 *                nothing else changes
 * @param touched apps whose workers are replaced with the config they run, with why (touch-reload)
 * @param files   apps-dir files read anew (added, changed or gone); their apps get new workers
 */
record ReloadScope(boolean whole, boolean code, Set<String> apps, Map<String, String> touched, Set<Path> files) {

    ReloadScope {
        apps = Set.copyOf(apps);
        touched = Map.copyOf(touched);
        files = Set.copyOf(files);
    }

    /** SIGHUP and {@code gatehouse reload}: the whole config, and new code for every app that has code. */
    static ReloadScope everything() {
        return new ReloadScope(true, true, Set.of(), Map.of(), Set.of());
    }

    /** {@code gatehouse reload --config-only}: the whole config; only the apps whose config changed are replaced. */
    static ReloadScope configOnly() {
        return new ReloadScope(true, false, Set.of(), Map.of(), Set.of());
    }

    /** {@code gatehouse reload --app NAME...}: those apps' config and code, and nothing else. */
    static ReloadScope apps(Set<String> names) {
        return new ReloadScope(false, false, names, Map.of(), Set.of());
    }

    /** touch-reload: new workers for {@code app}, with the config it runs; the config files are not read. */
    static ReloadScope touched(String app, String why) {
        return new ReloadScope(false, false, Set.of(), Map.of(app, why), Set.of());
    }

    /** The apps-dir watch: {@code changed} files read anew; nothing else is read. */
    static ReloadScope files(Set<Path> changed) {
        return new ReloadScope(false, false, Set.of(), Map.of(), changed);
    }

    /** One scope covering this one and {@code other}, for requests that wait for the same reload. */
    ReloadScope with(ReloadScope other) {
        Set<String> a = new LinkedHashSet<>(apps);
        a.addAll(other.apps);
        Map<String, String> t = new LinkedHashMap<>(touched);
        other.touched.forEach(t::putIfAbsent);
        Set<Path> f = new LinkedHashSet<>(files);
        f.addAll(other.files);
        return new ReloadScope(whole || other.whole, code || other.code, a, t, f);
    }

    /** The scope covering all of {@code scopes}. */
    static ReloadScope merged(List<ReloadScope> scopes) {
        ReloadScope all = scopes.get(0);
        for (ReloadScope s : scopes.subList(1, scopes.size())) {
            all = all.with(s);
        }
        return all;
    }

    /** Whether the main config file is read: it is for the whole config, and to find the apps named. */
    boolean readsMain() {
        return whole || !apps.isEmpty();
    }

    /**
     * The apps of {@code next} that already run and get new workers whatever their config says, each with why:
     * the apps named, touched or declared in a file read anew, then (with {@link #code}) every app with code.
     */
    Map<String, String> force(ResolvedConfig next, Set<String> running) {
        Map<String, String> force = new LinkedHashMap<>();
        for (ResolvedApp app : next.apps()) {
            String name = app.config().name();
            if (!running.contains(name)) {
                continue; // an added app starts anyway
            }
            Path file = app.config().origin() == null ? null : app.config().origin().file();
            if (touched.containsKey(name)) {
                force.put(name, touched.get(name));
            } else if (apps.contains(name)) {
                force.put(name, "asked for");
            } else if (files.contains(file)) {
                force.put(name, file.getFileName() + " changed");
            } else if (code && app.runtime().loadsCode()) {
                force.put(name, "new code");
            }
        }
        return force;
    }
}
