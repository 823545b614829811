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
            throw configErrors(file, e.errors().stream().map(ConfigError::toString).toList(),
                    e.warnings().stream().map(ConfigError::asWarning).toList());
        }
    }

    /** The lines of a config's {@code errors} and {@code warnings}, then how many there are in {@code file}; 2. */
    static VerbFailure configErrors(Path file, List<String> errors, List<String> warnings) {
        List<String> lines = new ArrayList<>(errors);
        lines.addAll(warnings);
        lines.add(count(errors.size(), "error") + " in " + file
                + (warnings.isEmpty() ? "" : ", and " + count(warnings.size(), "warning")));
        return new VerbFailure(Gatehouse.EXIT_CONFIG, lines);
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
