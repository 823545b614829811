package io.gatehouse.cli;

import io.gatehouse.config.ConfigError;
import io.gatehouse.config.ConfigException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Why a verb fails, as the user reads it: the lines {@link FailureHandler} prints on stderr and the documented exit
 * status (see {@link Gatehouse}).
 */
final class VerbFailure extends RuntimeException {
    private final int exitStatus;
    private final List<String> lines;

    private VerbFailure(int exitStatus, List<String> lines) {
        super(String.join("\n", lines));
        this.exitStatus = exitStatus;
        this.lines = List.copyOf(lines);
    }

    /** One line, {@code gatehouse: message}, and {@code exitStatus}. */
    static VerbFailure of(int exitStatus, String message) {
        return new VerbFailure(exitStatus, List.of("gatehouse: " + message));
    }

    /** Runs {@code load}, which reads the config {@code file}; its errors become a failure with exit status 2. */
    static <T> T unlessConfigErrors(Path file, Supplier<T> load) {
        try {
            return load.get();
        } catch (ConfigException e) {
            List<String> lines = new ArrayList<>();
            e.errors().stream().map(ConfigError::toString).forEach(lines::add);
            e.warnings().stream().map(ConfigError::asWarning).forEach(lines::add);
            int n = e.errors().size();
            lines.add(count(n, "error") + " in " + file
                    + (e.warnings().isEmpty() ? "" : ", and " + count(e.warnings().size(), "warning")));
            throw new VerbFailure(Gatehouse.EXIT_CONFIG, lines);
        }
    }

    /** {@code 1 error}, {@code 2 errors}. */
    static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    int exitStatus() {
        return exitStatus;
    }

    List<String> lines() {
        return lines;
    }
}
