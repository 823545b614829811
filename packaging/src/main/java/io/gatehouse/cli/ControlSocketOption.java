package io.gatehouse.cli;

import io.gatehouse.config.ConfigLoader;
import io.gatehouse.config.GatehouseConfig;
import java.nio.file.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** How the verbs that talk to a running master find its control socket: {@code -s PATH} or {@code -c FILE}. */
final class ControlSocketOption {
    @ArgGroup(exclusive = true, multiplicity = "1")
    Choice choice;

    static final class Choice {
        @Option(names = {"-s", "--socket"}, paramLabel = "PATH", description = "The master's control socket.")
        Path socket;

        @Option(names = {"-c", "--config"}, paramLabel = "FILE",
                description = "The config the master runs; its master.control-socket is used.")
        Path config;
    }

    /** The socket path; a config with errors, or without {@code master.control-socket}, fails with exit status 2. */
    Path resolve() {
        if (choice.socket != null) {
            return choice.socket;
        }
        GatehouseConfig config = VerbFailure.unlessConfigErrors(choice.config,
                () -> ConfigLoader.load(choice.config, System.getenv()).config());
        String socket = config.master().controlSocket();
        if (socket == null) {
            throw VerbFailure.of(Gatehouse.EXIT_CONFIG, choice.config + " sets no master.control-socket; add one (and "
                    + "reload or restart), or signal the master instead (kill -HUP/-TERM PID)");
        }
        // Relative paths are taken from the master's working directory; the CLI runs from the same one as a rule.
        return Path.of(socket);
    }
}
