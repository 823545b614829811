package io.gatehouse.core.master;

import io.gatehouse.config.AppConfig;
import io.gatehouse.config.Binder;
import io.gatehouse.config.ConfigException;
import io.gatehouse.config.ConfigLoader;
import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.config.KeySuggestion;
import io.gatehouse.config.ListenerConfig;
import io.gatehouse.config.LoadedConfig;
import io.gatehouse.config.Location;
import io.gatehouse.config.MapNode;
import io.gatehouse.config.Problems;
import io.gatehouse.core.protocol.ProtocolCatalog;
import io.gatehouse.core.runtime.RuntimeCatalog;
import io.gatehouse.spi.protocol.Protocol;
import io.gatehouse.spi.runtime.AppRuntime;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A loaded config with every listener's protocol and every app's runtime found and their own options bound and
 * checked, so that {@code gatehouse check} and a reload see every error before anything starts.
 *
 * @param file      the top-level config file
 * @param config    the generic config
 * @param listeners each listener with its protocol and options
 * @param apps      each app with its runtime and options
 */
public record ResolvedConfig(Path file, GatehouseConfig config, List<ResolvedListener> listeners,
        List<ResolvedApp> apps) {

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
        List<ResolvedListener> listeners = new ArrayList<>();
        List<ResolvedApp> apps = new ArrayList<>();
        LoadedConfig loaded = ConfigLoader.load(file, System.getenv(), (config, problems) -> {
            resolveListeners(config.listeners(), protocols, problems, listeners);
            resolveApps(config.apps(), runtimes, problems, apps);
            if (config.listeners().isEmpty()) {
                problems.add(Location.ofFile(file), "listeners", "at least one listener is required");
            }
        });
        return new ResolvedConfig(file, loaded.config(), List.copyOf(listeners), List.copyOf(apps));
    }

    private static void resolveListeners(List<ListenerConfig> configs, ProtocolCatalog protocols, Problems problems,
            List<ResolvedListener> out) {
        for (int i = 0; i < configs.size(); i++) {
            ListenerConfig l = configs.get(i);
            String path = "listeners[" + i + "]";
            Protocol<?> protocol = l == null || l.protocol() == null ? null : protocols.get(l.protocol());
            if (l != null && l.protocol() != null && protocol == null) {
                problems.add(l.origin(), path + ".protocol", unknown("protocol", l.protocol(), protocols.names()));
            }
            if (protocol != null) {
                out.add(new ResolvedListener(l, protocol, bindListener(protocol, l, path, problems)));
            }
        }
    }

    private static void resolveApps(List<AppConfig> configs, RuntimeCatalog runtimes, Problems problems,
            List<ResolvedApp> out) {
        for (int i = 0; i < configs.size(); i++) {
            AppConfig a = configs.get(i);
            String path = "apps[" + i + "]";
            AppRuntime<?> runtime = a == null || a.runtime() == null ? null : runtimes.get(a.runtime());
            if (a != null && a.runtime() != null && runtime == null) {
                problems.add(a.origin(), path + ".runtime", unknown("runtime", a.runtime(), runtimes.names()));
            }
            if (runtime != null) {
                out.add(new ResolvedApp(a, runtime, bindApp(runtime, a, path, problems)));
            }
        }
    }

    private static <O extends Record> O bindListener(Protocol<O> protocol, ListenerConfig l, String path,
            Problems problems) {
        int before = problems.count();
        O options = Binder.bind(orEmpty(l.options(), l), protocol.optionsType(), path, problems);
        if (options != null && problems.count() == before) {
            protocol.validate(options, l, path, problems);
        }
        return options;
    }

    private static <O extends Record> O bindApp(AppRuntime<O> runtime, AppConfig a, String path, Problems problems) {
        int before = problems.count();
        O options = Binder.bind(orEmpty(a.options(), a), runtime.optionsType(), path, problems);
        if (options != null && problems.count() == before) {
            runtime.validate(options, a, path, problems);
        }
        return options;
    }

    private static MapNode orEmpty(MapNode options, Object owner) {
        return options != null ? options : MapNode.empty(owner instanceof AppConfig a ? a.origin()
                : ((ListenerConfig) owner).origin());
    }

    private static String unknown(String what, String name, Set<String> known) {
        return "unknown " + what + " '" + name + "'" + KeySuggestion.didYouMean(name, known) + "; known: "
                + String.join(", ", known);
    }
}
