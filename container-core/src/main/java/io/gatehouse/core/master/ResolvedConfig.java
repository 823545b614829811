package io.gatehouse.core.master;

import io.gatehouse.config.AppConfig;
import io.gatehouse.config.ConfigError;
import io.gatehouse.config.ConfigException;
import io.gatehouse.config.ConfigLoader;
import io.gatehouse.config.ConfigScope;
import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.config.KeySuggestion;
import io.gatehouse.config.ListenerConfig;
import io.gatehouse.config.LoadedConfig;
import io.gatehouse.core.protocol.ProtocolCatalog;
import io.gatehouse.core.runtime.RuntimeCatalog;
import io.gatehouse.spi.protocol.Protocol;
import io.gatehouse.spi.runtime.AppRuntime;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

/**
 * A loaded config with every listener's protocol and every app's runtime found and their own options bound and
 * checked, so that {@code gatehouse check} and a reload see every error before anything starts.
 *
 * @param file      the top-level config file
 * @param config    the generic config
 * @param listeners each listener with its protocol and options
 * @param apps      each app with its runtime and options
 * @param warnings  what is legal but probably not meant, e.g. an app hidden by another's hosts
 */
public record ResolvedConfig(Path file, GatehouseConfig config, List<ResolvedListener> listeners,
        List<ResolvedApp> apps, List<ConfigError> warnings) {
    private static final Logger LOG = Logger.getLogger(ResolvedConfig.class.getName());

    /** A listener, its protocol and its bound options. */
    public record ResolvedListener(ListenerConfig config, Protocol<?> protocol, Record options) {
    }

    /** An app, its runtime and its bound options. */
    public record ResolvedApp(AppConfig config, AppRuntime<?> runtime, Record options) {
    }

    /**
     * Loads {@code file} and resolves it; throws a {@link ConfigException} listing every problem found, those of the
     * YAML and those of the protocols' and runtimes' own options together.
     */
    public static ResolvedConfig load(Path file, ProtocolCatalog protocols, RuntimeCatalog runtimes) {
        return load(file, System.getenv(), protocols, runtimes);
    }

    /** Loads and resolves {@code file} like {@link #load(Path, ProtocolCatalog, RuntimeCatalog)}, with {@code env}. */
    public static ResolvedConfig load(Path file, Map<String, String> env, ProtocolCatalog protocols,
            RuntimeCatalog runtimes) {
        List<ResolvedListener> listeners = new ArrayList<>();
        List<ResolvedApp> apps = new ArrayList<>();
        LoadedConfig loaded = ConfigLoader.load(file, env, (config, where) -> {
            resolveListeners(config.listeners(), protocols, where.key("listeners"), listeners);
            resolveApps(config.apps(), runtimes, where.key("apps"), apps);
            if (config.listeners().isEmpty()) {
                where.pinned().key("listeners").error("at least one listener is required");
            }
        });
        return new ResolvedConfig(file, loaded.config(), List.copyOf(listeners), List.copyOf(apps),
                loaded.warnings());
    }

    /** Logs each warning as one line, as run and a reload do ({@code check} prints them). */
    public void logWarnings() {
        warnings.forEach(w -> LOG.warning(w.toString()));
    }

    private static void resolveListeners(List<ListenerConfig> configs, ProtocolCatalog protocols, ConfigScope list,
            List<ResolvedListener> out) {
        for (int i = 0; i < configs.size(); i++) {
            ListenerConfig l = configs.get(i);
            Protocol<?> protocol = l == null || l.protocol() == null ? null : protocols.get(l.protocol());
            if (l != null && l.protocol() != null && protocol == null) {
                list.item(i).pinned().key("protocol").error(unknown("protocol", l.protocol(), protocols.names()));
            }
            if (protocol != null) {
                out.add(new ResolvedListener(l, protocol, bindListener(protocol, l, list.item(i))));
            }
        }
    }

    private static void resolveApps(List<AppConfig> configs, RuntimeCatalog runtimes, ConfigScope list,
            List<ResolvedApp> out) {
        for (int i = 0; i < configs.size(); i++) {
            AppConfig a = configs.get(i);
            AppRuntime<?> runtime = a == null || a.runtime() == null ? null : runtimes.get(a.runtime());
            if (a != null && a.runtime() != null && runtime == null) {
                list.item(i).pinned().key("runtime").error(unknown("runtime", a.runtime(), runtimes.names()));
            }
            if (runtime != null) {
                out.add(new ResolvedApp(a, runtime, bindApp(runtime, a, list.item(i))));
            }
        }
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

    private static String unknown(String what, String name, Set<String> known) {
        return "unknown " + what + " '" + name + "'" + KeySuggestion.didYouMean(name, known) + "; known: "
                + String.join(", ", known);
    }
}
