package io.gatehouse.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A configuration and the files it was read from.
 *
 * @param files every file read, the main file first, as named in messages; a reload can say which changed
 */
public record LoadedConfig(GatehouseConfig config, List<Path> files) {

    public LoadedConfig {
        Objects.requireNonNull(config, "config");
        files = List.copyOf(files);
    }
}
