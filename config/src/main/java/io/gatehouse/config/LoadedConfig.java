package io.gatehouse.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A configuration and the files it was read from.
 *
 * @param files    every file read, the main file first, as named in messages; a reload can say which changed
 * @param warnings what is legal but probably not meant (an app hidden by another's hosts), sorted by place
 */
public record LoadedConfig(GatehouseConfig config, List<Path> files, List<ConfigError> warnings) {

    public LoadedConfig {
        Objects.requireNonNull(config, "config");
        files = List.copyOf(files);
        warnings = List.copyOf(warnings);
    }

    /** A configuration without warnings. */
    public LoadedConfig(GatehouseConfig config, List<Path> files) {
        this(config, files, List.of());
    }
}
