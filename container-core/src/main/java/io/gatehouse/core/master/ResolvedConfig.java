package io.gatehouse.core.master;

import io.gatehouse.config.AppConfig;
import io.gatehouse.config.ConfigError;
import io.gatehouse.config.ConfigException;
import io.gatehouse.config.ConfigScope;
import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.config.ListenerConfig;
import io.gatehouse.config.Location;
import io.gatehouse.core.protocol.ProtocolCatalog;
import io.gatehouse.core.runtime.RuntimeCatalog;
import io.gatehouse.spi.protocol.Protocol;
import io.gatehouse.spi.runtime.AppRuntime;
import io.gatehouse.spi.runtime.Privileges;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.logging.Logger;
import java.util.stream.IntStream;

/**
 * A loaded config with every listener's protocol and every app's runtime found and their own options bound and
 * checked, so that {@code gatehouse check} and a reload see every error before anything starts: the main file's,
 * and those of its {@code apps-dir} files, each of which is accepted or refused on its own.
 *
 * @param file      the main config file
 * @param config    the main file's config (its listeners and apps are in the lists below, with those of apps-dir)
 * @param listeners each listener with its protocol and options: the main file's, then each apps-dir file's
 * @param apps      each app with its runtime and options, in the same order
 * @param appsFiles each apps-dir file as last read, in sorted order; a refused one keeps the listeners and apps of
 *                  the version read before it, if any, in the lists above
 * @param warnings  what is legal but probably not meant, e.g. an app hidden by another's hosts
 */
public record ResolvedConfig(Path file, GatehouseConfig config, List<ResolvedListener> listeners,
        List<ResolvedApp> apps, Map<Path, AppsFile> appsFiles, List<ConfigError> warnings) {
    private static final Logger LOG = Logger.getLogger(ResolvedConfig.class.getName());

    /** A listener, its protocol and its bound options. */
    public record ResolvedListener(ListenerConfig config, Protocol<?> protocol, Record options) {
    }

    /** An app, its runtime and its bound options. */
    public record ResolvedApp(AppConfig config, AppRuntime<?> runtime, Record options) {
    }

    public ResolvedConfig {
        listeners = List.copyOf(listeners);
        apps = List.copyOf(apps);
        appsFiles = Collections.unmodifiableMap(new TreeMap<>(appsFiles));
        warnings = List.copyOf(warnings);
    }

    /**
     * Loads {@code file} and its apps-dir files and resolves them. Throws a {@link ConfigException} listing every
     * problem of the main file, those of the YAML and those of the protocols' and runtimes' own options together;
     * an apps-dir file with problems is refused, and they are in {@link #refusals()}.
     */
    public static ResolvedConfig load(Path file, ProtocolCatalog protocols, RuntimeCatalog runtimes) {
        return load(file, protocols, runtimes, null);
    }

    /** Loads and resolves {@code file} like {@link #load(Path, ProtocolCatalog, RuntimeCatalog)}, with {@code env}. */
    public static ResolvedConfig load(Path file, Map<String, String> env, ProtocolCatalog protocols,
            RuntimeCatalog runtimes) {
        return new ConfigFiles(protocols, runtimes, null, env).readAll(file, null);
    }

    /** Logs each warning as one line, as run and a reload do ({@code check} prints them). */
    public void logWarnings() {
        warnings.forEach(w -> LOG.warning(w.toString()));
    }

    /**
     * Loads {@code file} as {@link #load(Path, ProtocolCatalog, RuntimeCatalog)} does, for a master that has
     * {@code running}'s privileges: a user it could not switch to is an error too. Null checks for anyone.
     */
    public static ResolvedConfig load(Path file, ProtocolCatalog protocols, RuntimeCatalog runtimes,
            Privileges running) {
        return new ConfigFiles(protocols, runtimes, running, System.getenv()).readAll(file, null);
    }

    /** Every error of the apps-dir files that are refused, as {@code file:line:col: key: message}; empty if none. */
    public List<String> refusals() {
        List<String> all = new ArrayList<>();
        appsFiles.values().forEach(f -> all.addAll(f.errors()));
        return all;
    }

    /** The listeners and apps declared in {@code file} (an apps-dir file), as they run. */
    Declared declaredIn(Path file) {
        return new Declared(listeners.stream().filter(l -> Objects.equals(fileOf(l.config().origin()), file)).toList(),
                apps.stream().filter(a -> Objects.equals(fileOf(a.config().origin()), file)).toList());
    }

    /** The listeners and apps of the main file and its includes: those of no apps-dir file. */
    Declared declaredInMain() {
        return new Declared(listeners.stream().filter(l -> !appsFiles.containsKey(fileOf(l.config().origin())))
                .toList(), apps.stream().filter(a -> !appsFiles.containsKey(fileOf(a.config().origin()))).toList());
    }

    /** This config with {@code app} in place of the one of its name, or added at the end. */
    ResolvedConfig withApp(ResolvedApp app) {
        List<ResolvedApp> next = new ArrayList<>(apps);
        String name = app.config().name();
        int at = IntStream.range(0, next.size()).filter(i -> next.get(i).config().name().equals(name)).findFirst()
                .orElse(-1);
        if (at < 0) {
            next.add(app);
        } else {
            next.set(at, app);
        }
        return new ResolvedConfig(file, config, listeners, next, appsFiles, warnings);
    }

    /** The app named {@code name}, or null. */
    ResolvedApp app(String name) {
        return apps.stream().filter(a -> a.config().name().equals(name)).findFirst().orElse(null);
    }

    static Path fileOf(Location origin) {
        return origin == null ? null : origin.file();
    }

    /**
     * Binds a listener's own keys to its protocol's options and runs the protocol's checks (with stand-ins for the
     * values that failed), reporting to {@code where}, the listener's place; null when the keys had a mistake.
     */
    public static <O extends Record> O bindListener(Protocol<O> protocol, ListenerConfig listener, ConfigScope where) {
        return where.bindAndCheck(listener.options(), protocol.optionsType(),
                (options, at) -> protocol.validate(options, listener, at));
    }

    /**
     * Binds an app's own keys to its runtime's options and runs the runtime's checks (with stand-ins for the values
     * that failed), reporting to {@code where}, the app's place; null when the keys had a mistake.
     */
    public static <O extends Record> O bindApp(AppRuntime<O> runtime, AppConfig app, ConfigScope where) {
        return where.bindAndCheck(app.options(), runtime.optionsType(), (options, at) -> runtime.validate(options, app,
                at));
    }
}
