package io.gatehouse.protocol.scgi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gatehouse.config.Binder;
import io.gatehouse.config.ConfigError;
import io.gatehouse.config.ConfigLoader;
import io.gatehouse.config.ListenerConfig;
import io.gatehouse.config.MapNode;
import io.gatehouse.config.Problems;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The listener keys of an scgi listener: defaults and bounds, as a user's YAML is bound. */
class ScgiOptionsTest {

    private static List<String> errors(String keys) {
        ListenerConfig l = ConfigLoader.parse("""
                listeners:
                  - protocol: scgi
                    bind: 127.0.0.1:4000
                %s""".formatted(keys.indent(4)), Path.of("site.yaml"), Map.of()).config().listeners().get(0);
        Problems problems = new Problems();
        Binder.bind(l.options() != null ? l.options() : MapNode.empty(l.origin()), ScgiOptions.class,
                "listeners[0]", problems);
        return problems.errors().stream().map(ConfigError::toString).toList();
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        assertEquals(ScgiOptions.DEFAULTS, Binder.defaults(ScgiOptions.class));
        assertEquals(65536, ScgiOptions.DEFAULTS.bufferSize().bytes());
    }

    @Test
    void boundsBufferSize() {
        assertEquals(List.of(), errors("buffer-size: 1KiB"));
        assertEquals(1, errors("buffer-size: 1023").size());
        assertEquals(List.of(), errors("buffer-size: 1MiB"));
        List<String> over = errors("buffer-size: 1048577");
        assertEquals(1, over.size());
        assertEquals(true, over.get(0).contains("buffer-size"), over.get(0));
    }

    @Test
    void boundsMaxVarsAndBodyBuffer() {
        assertEquals(List.of(), errors("max-vars: 16"));
        assertEquals(1, errors("max-vars: 15").size());
        assertEquals(List.of(), errors("max-vars: 16384"));
        assertEquals(1, errors("max-vars: 16385").size());
        assertEquals(List.of(), errors("body-buffer: 4KiB"));
        assertEquals(1, errors("body-buffer: 4095").size());
    }

    @Test
    void rejectsUnknownKeysWithASuggestion() {
        List<String> e = errors("buffer-sise: 4KiB");
        assertEquals(1, e.size());
        assertEquals(true, e.get(0).contains("buffer-size"), e.get(0));
    }
}
