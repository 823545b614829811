package io.gatehouse.core.testing.vars;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.config.Binder;
import io.gatehouse.core.testing.ListenerKeys;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The listener keys of a {@link VarsProtocol} listener: defaults and bounds, as a user's YAML is bound. */
public abstract class VarsOptionsCases<O extends Record, W extends VarsRequestWriter<W>> {
    /** The protocol under test. */
    protected final VarsProtocol<O, W> wire;

    protected VarsOptionsCases(VarsProtocol<O, W> wire) {
        this.wire = wire;
    }

    /** The errors of binding {@code keys} to the listener's options. */
    protected List<String> errors(String keys) {
        return ListenerKeys.errors(wire.protocol(), keys);
    }

    @Test
    public void defaultsAreTheDocumentedOnes() {
        assertEquals(wire.defaults(), Binder.defaults(wire.protocol().optionsType()));
        assertEquals(wire.options(65536, 1000, 0, 256 * 1024), wire.defaults());
    }

    @Test
    public void boundsBufferSize() {
        assertEquals(List.of(), errors("buffer-size: 1KiB"));
        assertEquals(1, errors("buffer-size: 1023").size());
        assertEquals(List.of(), errors("buffer-size: " + wire.maxBufferSize()));
        List<String> over = errors("buffer-size: " + (wire.maxBufferSize() + 1));
        assertEquals(1, over.size());
        assertTrue(over.get(0).contains("buffer-size"), over.get(0));
    }

    @Test
    public void boundsMaxVarsAndBodyBuffer() {
        assertEquals(List.of(), errors("max-vars: 16"));
        assertEquals(1, errors("max-vars: 15").size());
        assertEquals(List.of(), errors("max-vars: 16384"));
        assertEquals(1, errors("max-vars: 16385").size());
        assertEquals(List.of(), errors("body-buffer: 4KiB"));
        assertEquals(1, errors("body-buffer: 4095").size());
    }

    @Test
    public void rejectsUnknownKeysWithASuggestion() {
        List<String> e = errors("buffer-sise: 4KiB");
        assertEquals(1, e.size());
        assertTrue(e.get(0).contains("buffer-size"), e.get(0));
    }
}
