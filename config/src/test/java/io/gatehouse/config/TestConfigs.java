package io.gatehouse.config;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Short ways for tests to parse config text, load fixtures and read the errors back as strings. */
final class TestConfigs {

    static final Path FILE = Path.of("site.yaml");

    private TestConfigs() {
    }

    static GatehouseConfig parse(String yaml) {
        return ConfigLoader.parse(yaml, FILE, Map.of()).config();
    }

    static List<String> errors(String yaml) {
        return errors(yaml, Map.of());
    }

    static List<String> errors(String yaml, Map<String, String> env) {
        return lines(assertThrows(ConfigException.class, () -> ConfigLoader.parse(yaml, FILE, env)));
    }

    static List<String> loadErrors(Path file) {
        return lines(assertThrows(ConfigException.class, () -> ConfigLoader.load(file, Map.of())));
    }

    static List<String> lines(ConfigException e) {
        return e.errors().stream().map(ConfigError::toString).toList();
    }

    /** A fixture under src/test/resources/config, named relative to the working directory as a user would. */
    static Path fixture(String name) {
        URL url = TestConfigs.class.getResource("/config/" + name);
        if (url == null) {
            throw new IllegalArgumentException("no fixture " + name);
        }
        try {
            return Path.of("").toAbsolutePath().relativize(Path.of(url.toURI()));
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Binds {@code yaml}'s top-level mapping to {@code type}, returning the errors as strings. */
    static List<String> bindErrors(String yaml, Class<?> type) {
        Problems problems = new Problems();
        Binder.bind(tree(yaml), type, "", problems);
        return problems.errors().stream().map(ConfigError::toString).toList();
    }

    static <T> T bind(String yaml, Class<T> type) {
        Problems problems = new Problems();
        T value = Binder.bind(tree(yaml), type, "", problems);
        problems.throwIfAny();
        return value;
    }

    static MapNode tree(String yaml) {
        Problems problems = new Problems();
        MapNode node = NodeReader.read(yaml, Path.of("t.yaml"), new Interpolator(Map.of()), problems);
        problems.throwIfAny();
        return node;
    }
}
