package io.gatehouse.core.testing;

import io.gatehouse.core.master.ResolvedConfig;
import io.gatehouse.core.protocol.ProtocolCatalog;
import io.gatehouse.core.runtime.RuntimeCatalog;
import io.gatehouse.spi.protocol.Protocol;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A listener's protocol keys as a user's YAML gives them, checked or resolved with the whole config as the server
 * reads it (the protocol's own checks included). The listener is the only one of a file {@code site.yaml}.
 */
public final class ListenerKeys {
    private ListenerKeys() {
    }

    /** The errors of binding {@code keys} and checking them as {@code gatehouse check} does, as the user sees each. */
    public static List<String> errors(Protocol<?> protocol, String keys) {
        return CheckedOptions.listenerErrors(protocol, yaml(protocol, "127.0.0.1:4000", keys), Path.of("site.yaml"));
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

    private static String yaml(Protocol<?> protocol, String bind, String keys) {
        return "listeners:\n  - protocol: " + protocol.name() + "\n    bind: \"" + bind + "\"\n" + keys.indent(4);
    }
}
