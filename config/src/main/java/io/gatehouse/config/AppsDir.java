package io.gatehouse.config;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The files of an {@code apps-dir}: a directory (its {@code *.yaml} and {@code *.yml} files) or a glob such as
 * {@code apps.d/*.yaml}, relative to the main config file's directory. Hidden files (a name starting with a dot,
 * as editors and config tools write while saving) never count.
 */
public final class AppsDir {

    private AppsDir() {
    }

    /** The files {@code pattern} names now, in sorted order; none when its directory does not exist. */
    public static List<Path> files(Path configFile, String pattern) throws IOException {
        return IncludeGlob.expand(configFile, glob(pattern)).stream()
                .filter(file -> !file.getFileName().toString().startsWith("."))
                .toList();
    }

    /** The directory {@code pattern}'s files lie under, which must exist. */
    public static Path directory(Path configFile, String pattern) {
        return IncludeGlob.base(configFile, glob(pattern));
    }

    private static String glob(String pattern) {
        if (IncludeGlob.hasWildcard(pattern)) {
            return pattern;
        }
        String dir = pattern.endsWith("/") && pattern.length() > 1 ? pattern.substring(0, pattern.length() - 1)
                : pattern;
        return (dir.equals("/") ? "" : dir) + "/*.{yaml,yml}";
    }
}
