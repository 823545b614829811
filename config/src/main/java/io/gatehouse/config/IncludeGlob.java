package io.gatehouse.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/** Expands one {@code include:} pattern, relative to the including file's directory, into files in sorted order. */
final class IncludeGlob {

    private IncludeGlob() {
    }

    static boolean hasWildcard(String pattern) {
        return pattern.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{');
    }

    /** The directory a pattern's matches lie under: its segments before the first wildcard, resolved. */
    static Path base(Path includer, String pattern) {
        Path dir = includer.getParent() == null ? Path.of("") : includer.getParent();
        String[] segments = pattern.split("/", -1);
        String literal = String.join("/", Arrays.copyOfRange(segments, 0, firstWildcard(segments)));
        return literal.isEmpty() && pattern.startsWith("/") ? Path.of("/") : dir.resolve(literal).normalize();
    }

    private static int firstWildcard(String[] segments) {
        int first = 0;
        while (first < segments.length && !hasWildcard(segments[first])) {
            first++;
        }
        return first;
    }

    /**
     * The files a pattern names, as the user would write them ({@code conf.d/a.yaml} beside a relative
     * {@code site.yaml}). A pattern without wildcards names its one file whether or not it exists, so that
     * reading it reports what is wrong; a pattern with wildcards may match nothing.
     */
    static List<Path> expand(Path includer, String pattern) throws IOException {
        Path dir = includer.getParent() == null ? Path.of("") : includer.getParent();
        if (!hasWildcard(pattern)) {
            return List.of(dir.resolve(pattern).normalize());
        }
        String[] segments = pattern.split("/", -1);
        int firstWild = firstWildcard(segments);
        String rest = String.join("/", Arrays.copyOfRange(segments, firstWild, segments.length));
        Path root = base(includer, pattern);
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        PathMatcher matcher = root.getFileSystem().getPathMatcher("glob:" + rest);
        // Without "**" a pattern cannot match deeper than its own segments, so the walk need not go further.
        int depth = rest.contains("**") ? Integer.MAX_VALUE : segments.length - firstWild;
        try (Stream<Path> walk = Files.walk(root, depth)) {
            return walk.filter(Files::isRegularFile)
                    .filter(file -> matcher.matches(root.relativize(file)))
                    .sorted()
                    .toList();
        }
    }
}
