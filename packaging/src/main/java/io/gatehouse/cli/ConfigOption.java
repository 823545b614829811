package io.gatehouse.cli;

import io.gatehouse.core.master.ResolvedConfig;
import io.gatehouse.core.protocol.ProtocolCatalog;
import io.gatehouse.core.runtime.RuntimeCatalog;
import io.gatehouse.spi.runtime.Privileges;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code -c FILE} option shared by the verbs that read a config, and the loading they share. */
final class ConfigOption {
    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
            description = "The YAML config file.")
    Path file;

    /** Loads, binds and checks the config; its errors, all of them, fail the verb with exit status 2. */
    ResolvedConfig resolve(ProtocolCatalog protocols, RuntimeCatalog runtimes) {
        return resolve(protocols, runtimes, null);
    }

    /**
     * As {@link #resolve(ProtocolCatalog, RuntimeCatalog)}, for a master with {@code running}'s privileges: a user
     * it could not switch to is an error too (null: anyone's check).
     */
    ResolvedConfig resolve(ProtocolCatalog protocols, RuntimeCatalog runtimes, Privileges running) {
        return VerbFailure.unlessConfigErrors(file, () -> ResolvedConfig.load(file, protocols, runtimes, running));
    }
}
