package io.gatehouse.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Reads a config file and everything it includes into one merged document, recording every problem on the way. */
final class DocumentReader {

    private static final String INCLUDE = "include";

    private final Interpolator interpolator;
    private final Problems problems;
    private final boolean includes;
    private final List<Path> files = new ArrayList<>();
    private final Set<Path> loaded = new HashSet<>();
    private final List<Path> chain = new ArrayList<>();
    private final List<Path> chainNames = new ArrayList<>();
    private boolean broken;

    DocumentReader(Map<String, String> env, Problems problems) {
        this(env, problems, true);
    }

    /** A reader that follows {@code include:} keys, or leaves them in the document when {@code includes} is false. */
    DocumentReader(Map<String, String> env, Problems problems, boolean includes) {
        this.interpolator = new Interpolator(env);
        this.problems = problems;
        this.includes = includes;
    }

    /** The merged document, or null when the file itself cannot be read. */
    MapNode readFile(Path file) {
        try {
            return readText(Files.readString(file), file);
        } catch (IOException e) {
            problems.add(Location.ofFile(file), "", "cannot read: " + reason(e));
            broken = true;
            return null;
        }
    }

    /** The merged document of {@code text}, as if it had been read from {@code file}. */
    MapNode readText(String text, Path file) {
        return document(text, file);
    }

    /** Every file read, in the order read, named as in messages. */
    List<Path> files() {
        return List.copyOf(files);
    }

    /** Whether some file could not be read or parsed, so binding would only report its missing keys. */
    boolean broken() {
        return broken;
    }

    private MapNode document(String text, Path file) {
        Path identity = identity(file);
        loaded.add(identity);
        chain.add(identity);
        chainNames.add(file);
        files.add(file);
        try {
            MapNode document = NodeReader.read(text, file, interpolator, problems);
            if (document == null) {
                broken = true;
                return MapNode.empty(new Location(file, 1, 1));
            }
            MapNode.Entry include = includes ? document.entry(INCLUDE) : null;
            return include == null ? document : includeAll(document.without(INCLUDE), include.value(), file);
        } finally {
            chain.remove(chain.size() - 1);
            chainNames.remove(chainNames.size() - 1);
        }
    }

    private MapNode includeAll(MapNode document, ConfigNode patterns, Path file) {
        if (patterns instanceof ScalarNode scalar) {
            return scalar.isNull() ? document : include(document, file, scalar, INCLUDE);
        }
        if (!(patterns instanceof ListNode list)) {
            problems.add(patterns.location(), INCLUDE, "expected a file name, a glob pattern or a list of them");
            return document;
        }
        MapNode merged = document;
        for (int i = 0; i < list.items().size(); i++) {
            ConfigNode item = list.items().get(i);
            if (item instanceof ScalarNode scalar && !scalar.isNull()) {
                merged = include(merged, file, scalar, KeyPath.index(INCLUDE, i));
            } else {
                problems.add(item.location(), KeyPath.index(INCLUDE, i),
                        "expected a file name or glob pattern, got " + item.describe());
            }
        }
        return merged;
    }

    private MapNode include(MapNode document, Path includer, ScalarNode pattern, String path) {
        List<Path> matches;
        try {
            matches = IncludeGlob.expand(includer, pattern.text());
        } catch (IOException e) {
            problems.add(pattern.location(), path, "cannot list files for '" + pattern.text() + "': " + reason(e));
            return document;
        } catch (IllegalArgumentException e) {
            problems.add(pattern.location(), path, "invalid glob pattern '" + pattern.text() + "'");
            return document;
        }
        MapNode merged = document;
        for (Path match : matches) {
            Path identity = identity(match);
            int cycleStart = chain.indexOf(identity);
            if (cycleStart >= 0) {
                String cycle = chainNames.subList(cycleStart, chainNames.size()).stream()
                        .map(Path::toString).collect(Collectors.joining(" -> "));
                problems.add(pattern.location(), path, "include cycle: " + cycle + " -> " + match);
                continue;
            }
            if (loaded.contains(identity)) {
                continue; // matched by two patterns or included from two files: its keys are merged once
            }
            String text;
            try {
                text = Files.readString(match);
            } catch (IOException e) {
                problems.add(pattern.location(), path, "cannot read " + match + ": " + reason(e));
                broken = true;
                continue;
            }
            merged = DocumentMerge.merge(merged, document(text, match), "", problems);
        }
        return merged;
    }

    /** The same file reached by two spellings (a symlink, "../") must count once for cycles and repeats. */
    private static Path identity(Path file) {
        try {
            return file.toRealPath();
        } catch (IOException e) {
            return file.toAbsolutePath().normalize();
        }
    }

    private static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        if (e instanceof CharacterCodingException) {
            return "not UTF-8 text";
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
