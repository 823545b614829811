package io.gatehouse.protocol.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A request fixture from {@code src/test/resources/http/{valid,invalid}/NNN-what.http}: the bytes to decode and,
 * after each {@code === expect} line, what one decoded request must look like.
 *
 * <p>In the request part every line ends in CRLF, except a line ending in a backslash, which gets no line ending;
 * {@code \r \n \t \\ \xHH} stand for those bytes. Expectations are {@code KEY=value} (environ, same escapes),
 * {@code !KEY} (absent) and {@code @name=value} for the head: {@code @length}, {@code @keep-alive},
 * {@code @expect-continue}, {@code @body}, {@code @status} (a failed head with that status) and {@code @thrown}
 * (the decoder throws a fault with that status while reading this request's body).
 */
record Http1Fixture(String name, byte[] request, List<Map<String, String>> expected) {

    @Override
    public String toString() {
        return name;
    }

    /** Every fixture of {@code kind} ("valid" or "invalid"), sorted by name. */
    static Stream<Http1Fixture> all(String kind) {
        try {
            Path dir = Path.of(Http1Fixture.class.getResource("/http/" + kind).toURI());
            try (Stream<Path> files = Files.list(dir)) {
                return files.filter(f -> f.toString().endsWith(".http")).sorted().map(Http1Fixture::load).toList()
                        .stream();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Http1Fixture load(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        List<Map<String, String>> expected = new ArrayList<>();
        Map<String, String> current = null;
        for (String line : lines) {
            if (line.equals("=== expect")) {
                current = new LinkedHashMap<>();
                expected.add(current);
            } else if (current == null) {
                boolean joined = line.endsWith("\\") && !line.endsWith("\\\\");
                request.writeBytes(unescape(joined ? line.substring(0, line.length() - 1) : line));
                if (!joined) {
                    request.writeBytes(new byte[] {'\r', '\n'});
                }
            } else if (line.startsWith("!")) {
                current.put(line.substring(1), null);
            } else if (!line.isBlank() && !line.startsWith("#")) {
                int eq = line.indexOf('=');
                current.put(line.substring(0, eq), new String(unescape(line.substring(eq + 1)),
                        StandardCharsets.ISO_8859_1));
            }
        }
        if (expected.isEmpty()) {
            throw new IllegalStateException(file + ": no '=== expect' section");
        }
        return new Http1Fixture(file.getFileName().toString(), request.toByteArray(), expected);
    }

    /** The bytes of {@code text} (ISO-8859-1) with the escapes replaced. */
    static byte[] unescape(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\\' || i + 1 == text.length()) {
                out.write(c);
                continue;
            }
            char e = text.charAt(++i);
            switch (e) {
                case 'r' -> out.write('\r');
                case 'n' -> out.write('\n');
                case 't' -> out.write('\t');
                case '\\' -> out.write('\\');
                case 'x' -> {
                    out.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
                    i += 2;
                }
                default -> throw new IllegalArgumentException("unknown escape \\" + e + " in " + text);
            }
        }
        return out.toByteArray();
    }
}
