package io.gatehouse.cli;

import io.gatehouse.core.master.ResolvedConfig;
import io.gatehouse.core.protocol.ProtocolCatalog;
import io.gatehouse.core.runtime.RuntimeCatalog;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code -c FILE} option shared by the verbs that read a config, and the loading they share. */
final class ConfigOption {
    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
            description = "The YAML config file.")
    Path file;

    /** Loads, binds and checks the config; its errors, all of them, fail the verb with exit status 2. */
    ResolvedConfig resolve(ProtocolCatalog protocols, RuntimeCatalog runtimes) {
        return VerbFailure.unlessConfigErrors(file, () -> ResolvedConfig.load(file, protocols, runtimes));
    }
}
