package io.gatehouse.core.master;

import io.gatehouse.config.AppConfig;
import io.gatehouse.config.ConfigError;
import io.gatehouse.config.ConfigException;
import io.gatehouse.config.ListenerConfig;
import io.gatehouse.config.Location;
import io.gatehouse.core.master.ConfigFiles.FileRead;
import io.gatehouse.core.master.ConfigFiles.MainFile;
import io.gatehouse.core.master.ResolvedConfig.ResolvedApp;
import io.gatehouse.core.master.ResolvedConfig.ResolvedListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Puts the main file's listeners and apps and those of each apps-dir file together into one config. App names,
 * listener names, sockets and routes (host and mount) must be unique across files. On a clash, the file that changed
 * is refused: what runs keeps priority over what comes in, and at boot the main file, then the files in sorted
 * order. A refused file keeps the listeners and apps of its previous version, if it had one.
 */
final class AppsDirAssembly {
    private final Map<String, Location> taken = new HashMap<>();
    private final List<ResolvedListener> listeners = new ArrayList<>();
    private final List<ResolvedApp> apps = new ArrayList<>();
    private final Map<Path, AppsFile> files = new TreeMap<>();

    private AppsDirAssembly() {
    }

    /**
     * The config of {@code main} and the apps-dir files: those in {@code fresh} as just read (or gone), the others
     * of {@code running} (null at boot) as they run. Throws a {@link ConfigException} when the main file clashes
     * with a file that did not change.
     */
    static ResolvedConfig assemble(Path file, MainFile main, Map<Path, FileRead> fresh, ResolvedConfig running) {
        AppsDirAssembly a = new AppsDirAssembly();
        a.add(main.declared());
        TreeSet<Path> incoming = new TreeSet<>();
        List<ConfigError> mainClashes = new ArrayList<>();
        Map<Path, AppsFile> before = running == null ? Map.of() : running.appsFiles();
        TreeSet<Path> all = new TreeSet<>(fresh.keySet());
        all.addAll(before.keySet());
        for (Path p : all) {
            FileRead read = fresh.get(p);
            AppsFile was = before.get(p);
            if (read != null && (was == null || was.refused() || !read.errors().isEmpty()
                    || FileStamp.changed(was.stamp(), read.stamp()))) {
                incoming.add(p);
                continue;
            }
            // A file that runs as it was (or was not read): it can only clash with a changed main file.
            Declared declared = read != null ? read.declared() : running.declaredIn(p);
            a.clashes(declared).forEach(c -> mainClashes.add(c.atEarlier()));
            a.add(declared);
            a.files.put(p, read != null ? new AppsFile(read.stamp(), List.of()) : was);
        }
        if (!mainClashes.isEmpty()) {
            throw new ConfigException(mainClashes);
        }
        for (Path p : incoming) {
            a.take(p, fresh.get(p), running);
        }
        return new ResolvedConfig(file, main.config(), a.listeners, a.apps, a.files, main.warnings());
    }

    /** Where the apps named in {@code names} clash with the other listeners and apps of {@code config}. */
    static List<String> clashes(ResolvedConfig config, Set<String> names) {
        AppsDirAssembly a = new AppsDirAssembly();
        a.add(new Declared(config.listeners(), config.apps().stream()
                .filter(app -> !names.contains(app.config().name())).toList()));
        Declared named = new Declared(List.of(), config.apps().stream()
                .filter(app -> names.contains(app.config().name())).toList());
        return a.clashes(named).stream().map(c -> c.atNewcomer().toString()).toList();
    }

    /** A changed (or new, or gone) file: accepted if it is whole and clashes with nothing, else refused. */
    private void take(Path p, FileRead read, ResolvedConfig running) {
        List<String> errors = new ArrayList<>(read.errors().stream().map(ConfigError::toString).toList());
        if (errors.isEmpty()) {
            clashes(read.declared()).forEach(c -> errors.add(c.atNewcomer().toString()));
        }
        if (errors.isEmpty()) {
            add(read.declared());
            if (read.stamp() != null) {
                files.put(p, new AppsFile(read.stamp(), List.of()));
            }
            return;
        }
        Declared previous = running == null ? Declared.NOTHING : running.declaredIn(p);
        if (!previous.isEmpty() && clashes(previous).isEmpty()) {
            add(previous);
        } else if (!previous.isEmpty()) {
            errors.add(p + ": its previous apps stop too: they clash with a file read before it");
        }
        files.put(p, new AppsFile(read.stamp(), errors));
    }

    private void add(Declared d) {
        d.listeners().forEach(l -> keys(l.config()).forEach(k -> taken.put(k, where(l.config().origin()))));
        d.apps().forEach(a -> keys(a.config()).forEach(k -> taken.put(k, where(a.config().origin()))));
        listeners.addAll(d.listeners());
        apps.addAll(d.apps());
    }

    /** One item of a file that takes a name, socket or route already taken in another. */
    private record Clash(String what, Location newcomer, String path, Location earlier) {
        ConfigError atNewcomer() {
            return new ConfigError(newcomer, path, what + " is already declared at " + earlier
                    + " (names, sockets and routes must be unique across files)");
        }

        ConfigError atEarlier() {
            return new ConfigError(earlier, "", what + " is also declared at " + newcomer
                    + " (names, sockets and routes must be unique across files)");
        }
    }

    private List<Clash> clashes(Declared d) {
        List<Clash> out = new ArrayList<>();
        for (int i = 0; i < d.listeners().size(); i++) {
            ListenerConfig l = d.listeners().get(i).config();
            clash(out, keys(l), l.origin(), "listeners[" + i + "]");
        }
        for (int i = 0; i < d.apps().size(); i++) {
            AppConfig a = d.apps().get(i).config();
            clash(out, keys(a), a.origin(), "apps[" + i + "]");
        }
        return out;
    }

    private void clash(List<Clash> out, List<String> keys, Location origin, String path) {
        for (String key : keys) {
            Location earlier = taken.get(key);
            if (earlier != null) {
                out.add(new Clash(key, where(origin), path, earlier));
            }
        }
    }

    /** What a listener takes: its name (when it has one) and its socket. */
    private static List<String> keys(ListenerConfig l) {
        List<String> keys = new ArrayList<>();
        if (l.name() != null) {
            keys.add("listener name '" + l.name() + "'");
        }
        keys.add("socket " + ReloadPlan.bindKey(l.bind()));
        return keys;
    }

    /** What an app takes: its name and a route for each of its hosts (the default host when it has none). */
    private static List<String> keys(AppConfig a) {
        List<String> keys = new ArrayList<>();
        keys.add("app name '" + a.name() + "'");
        if (a.hosts().isEmpty()) {
            keys.add("the default host and mount '" + a.mount() + "'");
        }
        for (String host : a.hosts()) {
            keys.add("host '" + host.toLowerCase(Locale.ROOT) + "' and mount '" + a.mount() + "'");
        }
        return keys;
    }

    private static Location where(Location origin) {
        return origin != null ? origin : Location.ofFile(Path.of("(unknown)"));
    }
}
