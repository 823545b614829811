package io.gatehouse.protocol.fastcgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.config.Binder;
import io.gatehouse.config.ConfigException;
import io.gatehouse.core.protocol.ProtocolCatalog;
import io.gatehouse.core.testing.CheckedOptions;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The listener's YAML keys: defaults, binding and bounds, and the protocol found by its name. */
class FcgiOptionsTest {

    /** The listener's options, or a {@link ConfigException} with every mistake. */
    private static FcgiOptions bind(String keys) {
        String yaml = "listeners:\n  - protocol: fastcgi\n    bind: 127.0.0.1:9000\n" + keys.indent(4)
                + "apps: []\n";
        return CheckedOptions.firstListener(new FcgiProtocol(), yaml, Path.of("site.yaml")).options();
    }

    @Test
    void defaultsAreWhatAListenerWithoutKeysGets() {
        assertEquals(FcgiOptions.DEFAULTS, Binder.defaults(FcgiOptions.class));
    }

    @Test
    void bindsEveryKey() {
        FcgiOptions o = bind("""
                max-params-size: 16KiB
                max-params: 200
                max-body-size: 10MiB
                max-requests-in-flight: 1
                body-buffer: 64KiB
                """);
        assertEquals(16 * 1024, o.maxParamsSize().bytes());
        assertEquals(200, o.maxParams());
        assertEquals(10 * 1024 * 1024, o.maxBodySize().bytes());
        assertEquals(1, o.maxRequestsInFlight());
        assertEquals(64 * 1024, o.bodyBuffer().bytes());
    }

    @Test
    void rejectsValuesOutOfBoundsNamingTheKey() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> bind("max-requests-in-flight: 0\nmax-params-size: 100\nmax-connections: 0\n"));
        String all = e.getMessage();
        assertEquals(3, e.errors().size(), all);
        assertTrue(all.contains("listeners[0].max-requests-in-flight"), all);
        assertTrue(all.contains("listeners[0].max-params-size"), all);
        assertTrue(all.contains("listeners[0].max-connections"), all);
    }

    @Test
    void isFoundByItsName() {
        assertTrue(ProtocolCatalog.load().get("fastcgi") instanceof FcgiProtocol);
        assertTrue(new FcgiProtocol().multiplexed());
    }
}
