package io.gatehouse.core.testing;

import io.gatehouse.config.Binder;
import io.gatehouse.config.ConfigError;
import io.gatehouse.config.ConfigLoader;
import io.gatehouse.config.ListenerConfig;
import io.gatehouse.config.MapNode;
import io.gatehouse.config.Problems;
import io.gatehouse.core.master.ResolvedConfig;
import io.gatehouse.core.protocol.ProtocolCatalog;
import io.gatehouse.core.runtime.RuntimeCatalog;
import io.gatehouse.spi.protocol.Protocol;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A listener's protocol keys as a user's YAML gives them: bound to the protocol's options record alone, or
 * resolved with the whole config as the server reads it (the protocol's own checks included). The listener is the
 * only one of a file {@code site.yaml} whose first key is on line 4, column 5.
 */
public final class ListenerKeys {
    private ListenerKeys() {
    }

    /** Binds {@code keys} (YAML lines) to {@code protocol}'s options, adding what is wrong to {@code problems}. */
    public static <O extends Record> O bind(Protocol<O> protocol, String keys, Problems problems) {
        ListenerConfig l = ConfigLoader.parse(yaml(protocol, "127.0.0.1:4000", keys), Path.of("site.yaml"), Map.of())
                .config().listeners().get(0);
        return Binder.bind(l.options() != null ? l.options() : MapNode.empty(l.origin()), protocol.optionsType(),
                "listeners[0]", problems);
    }

    /** The errors of binding {@code keys}, each as the user sees it. */
    public static List<String> errors(Protocol<?> protocol, String keys) {
        Problems problems = new Problems();
        bind(protocol, keys, problems);
        return problems.errors().stream().map(ConfigError::toString).toList();
    }

    /**
     * Writes a config with one listener of {@code protocol} on {@code bind} with {@code keys} into {@code dir} and
     * resolves it as the server does; returns the listener's options or throws the config's errors.
     */
    public static <O extends Record> O resolve(Path dir, Protocol<O> protocol, String bind, String keys)
            throws IOException {
        Path file = Files.writeString(dir.resolve("site.yaml"), yaml(protocol, bind, keys));
        ResolvedConfig config = ResolvedConfig.load(file, ProtocolCatalog.of(protocol), RuntimeCatalog.load());
        return protocol.optionsType().cast(config.listeners().get(0).options());
    }

    /** The protocol a listener's {@code protocol:} key names, found as the server finds it; null if none. */
    public static Protocol<?> named(String name) {
        return ProtocolCatalog.load().get(name);
    }

    private static String yaml(Protocol<?> protocol, String bind, String keys) {
        return "listeners:\n  - protocol: " + protocol.name() + "\n    bind: \"" + bind + "\"\n" + keys.indent(4);
    }
}
