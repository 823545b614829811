package io.gatehouse.protocol.fastcgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.testing.Decoded;
import io.gatehouse.core.testing.Feed;
import io.gatehouse.core.testing.LeakCheck;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Requests captured from the real web servers (src/test/resources/fastcgi/valid/NNN-what.bin, the bytes nginx,
 * Apache, lighttpd and cgi-fcgi sent), each with the environ and body it must decode to (NNN-what.expected).
 */
@ExtendWith(LeakCheck.class)
class FcgiFixturesTest {

    static Stream<Arguments> fixtures() throws IOException, URISyntaxException {
        Path dir = Path.of(FcgiFixturesTest.class.getResource("/fastcgi/valid").toURI());
        List<Arguments> all = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path bin : files.filter(p -> p.toString().endsWith(".bin")).sorted().toList()) {
                for (Feed feed : Feed.values()) {
                    all.add(Arguments.of(bin.getFileName().toString(), bin, feed));
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}, {2}")
    @MethodSource("fixtures")
    void decodesWhatTheWebServerSent(String name, Path bin, Feed feed) throws IOException {
        String stem = bin.getFileName().toString().replace(".bin", "");
        List<String> expected = Files.readAllLines(bin.resolveSibling(stem + ".expected"), StandardCharsets.UTF_8);
        FcgiTestChannel ch = FcgiTestChannel.codec(FcgiOptions.DEFAULTS);
        try {
            List<Decoded> got = ch.feed(Files.readAllBytes(bin), feed);
            assertEquals(1, got.size(), name);
            Decoded d = got.get(0);
            assertFalse(d.head().isFailed(), String.valueOf(d.head().failure()));
            assertTrue(d.ended(), "the body is complete");
            for (String line : expected) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                int eq = line.indexOf('=');
                String key = line.substring(0, eq);
                String value = line.substring(eq + 1);
                String actual = switch (key) {
                    case "@stream" -> Integer.toString(d.head().streamId());
                    case "@keepAlive" -> Boolean.toString(d.head().keepAlive());
                    case "@contentLength" -> Long.toString(d.head().contentLength());
                    case "@body" -> new String(d.body(), StandardCharsets.ISO_8859_1);
                    default -> d.env(key);
                };
                assertEquals(value, actual, name + ": " + key);
            }
        } finally {
            ch.finishClean();
        }
    }
}
