package io.gatehouse.protocol.ajp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.config.Binder;
import io.gatehouse.config.ConfigException;
import io.gatehouse.core.testing.ListenerKeys;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The listener's options as a config file gives them, and the check that an open AJP port has a secret. */
class AjpProtocolTest {

    @TempDir
    Path dir;

    /** Resolves a config file with one ajp listener; returns its options, or throws the config's errors. */
    private AjpOptions resolve(String bind, String options) throws IOException {
        return ListenerKeys.resolve(dir, new AjpProtocol(), bind, options);
    }

    /** The config's errors, with the directory of the file left out. */
    private String error(String bind, String options) {
        String message = assertThrows(ConfigException.class, () -> resolve(bind, options)).getMessage();
        return message.replace(dir.toString() + "/", "");
    }

    @Test
    void hasTheDefaultsItsKeysDeclare() throws IOException {
        assertEquals(AjpOptions.DEFAULTS, Binder.defaults(AjpOptions.class));
        assertEquals(AjpOptions.DEFAULTS, resolve("127.0.0.1:8009", ""));
        assertEquals(8192, AjpOptions.DEFAULTS.packetBytes());
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1:8009", "127.9.9.9:8009", "[::1]:8009", "localhost:8009", "unix:/run/ajp.sock"})
    void runsWithoutASecretOnLoopbackOnly(String bind) throws IOException {
        assertEquals(null, resolve(bind, "").secret());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0:8009", ":8009", "[::]:8009", "192.0.2.10:8009", "app.example.com:8009"})
    void refusesAnOpenAddressWithoutASecret(String bind) throws IOException {
        String message = error(bind, "");
        assertTrue(message.matches("site\\.yaml:2:5: listeners\\[0]\\.secret: an ajp listener on .* accepts "
                + "connections from other hosts, so it needs a secret .* allow-no-secret: true .*CVE-2020-1938\\)"),
                message);
        assertEquals("s", resolve(bind, "secret: s").secret());
        assertTrue(resolve(bind, "allow-no-secret: true").allowNoSecret());
    }

    @ParameterizedTest
    @ValueSource(strings = {"fd:3", "systemd:ajp"})
    void refusesAnInheritedSocketWithoutASecret(String bind) {
        assertTrue(error(bind, "").contains("cannot be shown to accept loopback connections only"));
    }

    @Test
    void bindsPacketSizeFrom8192To65536() throws IOException {
        assertEquals(8192, resolve("127.0.0.1:1", "packet-size: 8192").packetBytes());
        assertEquals(16384, resolve("127.0.0.1:1", "packet-size: 16KiB").packetBytes());
        assertEquals(65536, resolve("127.0.0.1:1", "packet-size: 65536").packetBytes());
        assertTrue(error("127.0.0.1:1", "packet-size: 8191").contains("site.yaml:4:18: listeners[0].packet-size:"));
        assertTrue(error("127.0.0.1:1", "packet-size: 65537").contains("listeners[0].packet-size:"));
    }

    @Test
    void bindsMaxHeadersFrom1To10000() throws IOException {
        assertEquals(1, resolve("127.0.0.1:1", "max-headers: 1").maxHeaders());
        assertEquals(10000, resolve("127.0.0.1:1", "max-headers: 10000").maxHeaders());
        assertTrue(error("127.0.0.1:1", "max-headers: 0").contains("listeners[0].max-headers:"));
        assertTrue(error("127.0.0.1:1", "max-headers: 10001").contains("listeners[0].max-headers:"));
    }

    @Test
    void bindsBodyBufferFrom4KiBTo64MiB() throws IOException {
        assertEquals(4096, resolve("127.0.0.1:1", "body-buffer: 4096").bodyBuffer().bytes());
        assertEquals(64L << 20, resolve("127.0.0.1:1", "body-buffer: 64MiB").bodyBuffer().bytes());
        assertTrue(error("127.0.0.1:1", "body-buffer: 4095").contains("listeners[0].body-buffer:"));
        assertTrue(error("127.0.0.1:1", "body-buffer: 67108865").contains("listeners[0].body-buffer:"));
    }

    @Test
    void compilesAllowedAttributesOnceAndReportsABadPatternWhereItIs() throws IOException {
        AjpOptions o = resolve("127.0.0.1:1", "allowed-attributes: \"SHIB_.*|FOO\"");
        assertTrue(o.allowedAttributes().admits("SHIB_USER") && !o.allowedAttributes().admits("XFOO"));
        String message = error("127.0.0.1:1", "allowed-attributes: \"[a-\"");
        assertTrue(message.startsWith("site.yaml:4:25: listeners[0].allowed-attributes: not a valid regular "
                + "expression: "), message);
        assertEquals(1, message.lines().count(), "one line");
    }

    @Test
    void refusesAnEmptySecret() {
        assertTrue(error("127.0.0.1:1", "secret: \"\"").contains("listeners[0].secret: must not be empty"));
    }
}
