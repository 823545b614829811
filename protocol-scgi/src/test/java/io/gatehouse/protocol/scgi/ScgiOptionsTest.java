package io.gatehouse.protocol.scgi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gatehouse.config.Binder;
import io.gatehouse.core.testing.CheckedOptions;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The listener keys of an scgi listener: defaults and bounds, as a user's YAML is bound. */
class ScgiOptionsTest {

    private static List<String> errors(String keys) {
        return CheckedOptions.listenerErrors(new ScgiProtocol(), """
                listeners:
                  - protocol: scgi
                    bind: 127.0.0.1:4000
                %s""".formatted(keys.indent(4)), Path.of("site.yaml"));
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
