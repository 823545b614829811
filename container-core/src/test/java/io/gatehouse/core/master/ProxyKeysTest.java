package io.gatehouse.core.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.config.ConfigError;
import io.gatehouse.config.ConfigException;
import io.gatehouse.config.ListenerConfig;
import io.gatehouse.core.protocol.ProtocolCatalog;
import io.gatehouse.core.runtime.RuntimeCatalog;
import io.gatehouse.spi.protocol.Protocol;
import io.netty.channel.ChannelPipeline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code proxy-protocol} only on listeners whose protocol takes the header, and what a reload sees of the keys. */
class ProxyKeysTest {
    @TempDir
    Path dir;

    /** A protocol named uwsgi that takes the PROXY protocol, beside ReloadPlanTest's http that does not. */
    static final class ProxiedProtocol implements Protocol<ProxiedProtocol.Options> {
        record Options() {
        }

        @Override
        public String name() {
            return "uwsgi";
        }

        @Override
        public Class<Options> optionsType() {
            return Options.class;
        }

        @Override
        public boolean acceptsProxyProtocol() {
            return true;
        }

        @Override
        public void initChannel(ChannelPipeline pipeline, Options options) {
        }

        @Override
        public int bodyBuffer(Options options) {
            return 4096;
        }
    }

    private ResolvedConfig load(String yaml) throws Exception {
        Path file = Files.writeString(dir.resolve("site.yaml"), yaml);
        return ResolvedConfig.load(file, ProtocolCatalog.of(new ReloadPlanTest.PlainProtocol(), new ProxiedProtocol()),
                RuntimeCatalog.of());
    }

    @Test
    void refusesProxyProtocolOnAProtocolThatDoesNotTakeItAtTheKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> load("""
                listeners:
                  - protocol: uwsgi
                    bind: 127.0.0.1:4000
                    proxy-protocol: true
                  - protocol: http
                    bind: 127.0.0.1:4001
                    proxy-protocol: true
                """));
        assertEquals(List.of(dir.resolve("site.yaml") + ":7:21: listeners[1].proxy-protocol: the http protocol does "
                + "not take a PROXY protocol header (only uwsgi listeners do)"),
                e.errors().stream().map(ConfigError::toString).toList());
    }

    @Test
    void takesTheKeysWhereTheProtocolTakesThem() throws Exception {
        ResolvedConfig config = load("""
                listeners:
                  - protocol: uwsgi
                    bind: unix:/run/gh.sock
                    proxy-protocol: true
                    trusted-proxies: [10.0.0.0/8, unix]
                """);
        assertTrue(config.listeners().get(0).config().proxyProtocol());
        assertEquals(2, config.listeners().get(0).config().trustedProxies().size());
    }

    @Test
    void seesChangedTrustedProxiesAsAChangedListenerOnReload() throws Exception {
        String yaml = "listeners:\n  - protocol: http\n    bind: 127.0.0.1:4000\n    trusted-proxies: [%s]\n";
        ListenerConfig before = load(yaml.formatted("127.0.0.1")).listeners().get(0).config();
        assertEquals(before, load(yaml.formatted("127.0.0.1/32")).listeners().get(0).config(),
                "127.0.0.1/32 is the same block");
        assertNotEquals(before, load(yaml.formatted("127.0.0.2")).listeners().get(0).config());
    }
}
