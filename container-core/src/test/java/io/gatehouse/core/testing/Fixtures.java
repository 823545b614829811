package io.gatehouse.core.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Wire fixtures of a decoder test, from {@code src/test/resources/<protocol>/{valid,invalid}}:
 *
 * <ul>
 *   <li>{@code NNN-what.bin}: request bytes as captured from a real front server, with {@code NNN-what.env} beside
 *       it listing what the decoded head must hold: {@code KEY=value} (the file is UTF-8; the value is compared
 *       as the native string of its UTF-8 bytes), {@code !KEY} for a key that must be absent, and the directives
 *       {@code @content-length=N} and {@code @body=text};</li>
 *   <li>{@code NNN-what.hex}: request bytes written as hex pairs ({@code #} starts a comment), with directives
 *       on lines of their own: {@code @status=400} and {@code @detail=text} for the expected fault.</li>
 * </ul>
 */
public final class Fixtures {

    /** One fixture: its file name, its bytes, and what is expected of it. */
    public record Fixture(String name, byte[] input, Map<String, String> expect, Set<String> absent,
            Map<String, String> directives) {

        /** A directive's value, or null. */
        public String directive(String name) {
            return directives.get(name);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private Fixtures() {
    }

    /** Every fixture in the resource directory {@code dir} (e.g. "/uwsgi/valid"), sorted by name. */
    public static List<Fixture> load(Class<?> anchor, String dir) {
        URL url = anchor.getResource(dir);
        if (url == null) {
            throw new IllegalArgumentException("no fixture directory " + dir);
        }
        try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
            List<Fixture> all = new ArrayList<>();
            for (Path p : files.sorted().toList()) {
                String name = p.getFileName().toString();
                if (name.endsWith(".bin")) {
                    all.add(binary(p, name));
                } else if (name.endsWith(".hex")) {
                    all.add(hex(p, name));
                }
            }
            return all;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The request bytes of every {@code .bin} and {@code .hex} fixture in {@code dir}, sorted by name, whatever is
     * expected of them: the seeds of a fuzz test.
     */
    public static List<byte[]> inputs(Class<?> anchor, String dir) {
        URL url = anchor.getResource(dir);
        if (url == null) {
            throw new IllegalArgumentException("no fixture directory " + dir);
        }
        try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
            List<byte[]> all = new ArrayList<>();
            for (Path p : files.sorted().toList()) {
                String name = p.getFileName().toString();
                if (name.endsWith(".bin")) {
                    all.add(Files.readAllBytes(p));
                } else if (name.endsWith(".hex")) {
                    all.add(hex(p, name).input());
                }
            }
            return all;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The native string (one char per byte) of {@code text}'s UTF-8 bytes. */
    public static String nativeString(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    private static Fixture binary(Path p, String name) throws IOException {
        Path env = p.resolveSibling(name.substring(0, name.length() - 4) + ".env");
        Map<String, String> expect = new LinkedHashMap<>();
        Set<String> absent = new LinkedHashSet<>();
        Map<String, String> directives = new LinkedHashMap<>();
        for (String line : Files.readAllLines(env, StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("!")) {
                absent.add(line.substring(1).trim());
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(env + ": not KEY=value: " + line);
            }
            String key = line.substring(0, eq);
            String value = nativeString(line.substring(eq + 1));
            (key.startsWith("@") ? directives : expect).put(key.startsWith("@") ? key.substring(1) : key, value);
        }
        return new Fixture(name, Files.readAllBytes(p), expect, absent, directives);
    }

    private static Fixture hex(Path p, String name) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Map<String, String> directives = new LinkedHashMap<>();
        for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
            if (line.startsWith("@")) {
                int eq = line.indexOf('=');
                directives.put(line.substring(1, eq), line.substring(eq + 1).trim());
                continue;
            }
            int hash = line.indexOf('#');
            String data = (hash < 0 ? line : line.substring(0, hash)).replaceAll("\\s+", "");
            if (data.length() % 2 != 0) {
                throw new IllegalArgumentException(p + ": odd number of hex digits in: " + line);
            }
            for (int i = 0; i < data.length(); i += 2) {
                bytes.write(Integer.parseInt(data.substring(i, i + 2), 16));
            }
        }
        return new Fixture(name, bytes.toByteArray(), Map.of(), Set.of(), directives);
    }
}
