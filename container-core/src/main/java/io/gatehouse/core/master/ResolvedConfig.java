package io.gatehouse.core.master;

import io.gatehouse.config.AppConfig;
import io.gatehouse.config.Binder;
import io.gatehouse.config.ConfigException;
import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.config.KeySuggestion;
import io.gatehouse.config.ListenerConfig;
import io.gatehouse.config.LoadedConfig;
import io.gatehouse.config.MapNode;
import io.gatehouse.config.Problems;
import io.gatehouse.core.protocol.Protocol;
import io.gatehouse.core.protocol.ProtocolCatalog;
import io.gatehouse.core.runtime.AppRuntime;
import io.gatehouse.core.runtime.RuntimeCatalog;
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

    /** Resolves {@code loaded}; throws a {@link ConfigException} listing every problem found. */
    public static ResolvedConfig resolve(Path file, LoadedConfig loaded, ProtocolCatalog protocols,
            RuntimeCatalog runtimes) {
        GatehouseConfig config = loaded.config();
        Problems problems = new Problems();
        List<ResolvedListener> listeners = new ArrayList<>();
        for (int i = 0; i < config.listeners().size(); i++) {
            ListenerConfig l = config.listeners().get(i);
            String path = "listeners[" + i + "]";
            Protocol<?> protocol = protocols.get(l.protocol());
            if (protocol == null) {
                problems.add(l.origin(), path + ".protocol", unknown("protocol", l.protocol(), protocols.names()));
                continue;
            }
            Record options = bindListener(protocol, l, path, problems);
            listeners.add(new ResolvedListener(l, protocol, options));
        }
        List<ResolvedApp> apps = new ArrayList<>();
        for (int i = 0; i < config.apps().size(); i++) {
            AppConfig a = config.apps().get(i);
            String path = "apps[" + i + "]";
            AppRuntime<?> runtime = runtimes.get(a.runtime());
            if (runtime == null) {
                problems.add(a.origin(), path + ".runtime", unknown("runtime", a.runtime(), runtimes.names()));
                continue;
            }
            apps.add(new ResolvedApp(a, runtime, bindApp(runtime, a, path, problems)));
        }
        if (listeners.isEmpty() && problems.isEmpty()) {
            problems.add(null, "listeners", "at least one listener is required");
        }
        problems.throwIfAny();
        return new ResolvedConfig(file, config, List.copyOf(listeners), List.copyOf(apps));
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
