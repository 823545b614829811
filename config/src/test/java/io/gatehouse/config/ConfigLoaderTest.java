package io.gatehouse.config;

import static io.gatehouse.config.TestConfigs.errors;
import static io.gatehouse.config.TestConfigs.fixture;
import static io.gatehouse.config.TestConfigs.loadErrors;
import static io.gatehouse.config.TestConfigs.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @Test
    void loadsEveryKeyOfAFullConfig() {
        Path file = fixture("valid/full.yaml");
        LoadedConfig loaded = ConfigLoader.load(file, Map.of());
        GatehouseConfig config = loaded.config();
        assertEquals(List.of(file), loaded.files());

        MasterConfig master = config.master();
        assertEquals(new MasterConfig(Duration.ofSeconds(45), ReloadMode.CHAIN, "/run/gatehouse/control.sock", "0660",
                "/tmp/gatehouse.pid", 4, null, null, Duration.ofSeconds(1)), master);
        assertEquals(new LoggingConfig(LogLevel.DEBUG, "-", AccessLogFormat.JSON, "/tmp/gatehouse-error.log", 20),
                config.logging());
        assertEquals(new BindAddress.Inet("127.0.0.1", 9191), config.stats().bind());

        ListenerConfig front = config.listeners().get(0);
        assertEquals("front", front.displayName());
        assertEquals(new BindAddress.Unix("/run/gatehouse/uwsgi.sock"), front.bind());
        assertEquals("0660", front.mode());
        assertEquals("www-data:www-data", front.owner());
        assertEquals(4096, front.backlog());
        assertEquals(new Location(file, 20, 5), front.origin());
        assertTrue(front.options().isEmpty());

        ListenerConfig http = config.listeners().get(1);
        assertEquals("http@[::1]:8080", http.displayName());
        assertEquals(1024, http.backlog());
        assertEquals("16384", ((ScalarNode) http.options().node().get("max-header-bytes")).text());

        AppConfig shop = config.apps().get(0);
        assertEquals(List.of("shop.example.com", "www.shop.example.com"), shop.hosts());
        assertEquals(WorkerCount.AUTO, shop.workers());
        assertEquals(4, shop.threads());
        assertEquals(200, shop.queue());
        assertEquals(Duration.ofSeconds(30), shop.harakiri());
        assertEquals(5000, shop.maxRequests());
        assertEquals(DataSize.ofMebibytes(512), shop.reloadOnRss());
        assertEquals(Duration.ofSeconds(15), shop.reloadMercy());
        assertEquals(List.of("module", "home"), List.copyOf(shop.options().node().keys()));

        AppConfig api = config.apps().get(1);
        assertEquals("/api", api.mount());
        assertEquals(WorkerCount.of(2), api.workers());
        assertEquals("com.example.Api", ((ScalarNode) api.options().node().get("class")).text());
        assertEquals(ReloadMode.GRACEFUL, api.reload());
        assertEquals(List.of("/srv/api/reload.txt", "deploy.txt"), api.touchReload());
        assertEquals(null, shop.reload(), "the master's reload mode");
        assertEquals(List.of(), shop.touchReload());
        assertEquals("/etc/gatehouse/apps.d/*.yaml", config.appsDir());
    }

    @Test
    void fillsDefaultsForAnEmptyConfig() {
        GatehouseConfig config = parse("");
        assertEquals(new MasterConfig(Duration.ofSeconds(30), ReloadMode.GRACEFUL, null, "0600", null, 0, null, null,
                Duration.ofSeconds(1)),
                config.master());
        assertEquals(new LoggingConfig(LogLevel.INFO, null, AccessLogFormat.COMBINED, null, 20), config.logging());
        assertNull(config.stats().bind());
        assertEquals(List.of(), config.listeners());
        assertEquals(List.of(), config.apps());
        assertNull(config.appsDir());
    }

    @Test
    void fillsAppDefaults() {
        AppConfig app = parse("apps:\n  - {name: web, runtime: python}\n").apps().get(0);
        assertEquals("/", app.mount());
        assertEquals(List.of(), app.hosts());
        assertEquals(WorkerCount.of(1), app.workers());
        assertEquals(1, app.threads());
        assertEquals(100, app.queue());
        assertEquals(Duration.ZERO, app.harakiri());
        assertEquals(0, app.maxRequests());
        assertEquals(DataSize.ofBytes(0), app.reloadOnRss());
        assertEquals(Duration.ofSeconds(60), app.reloadMercy());
        assertEquals(new Location(TestConfigs.FILE, 2, 5), app.origin());
    }

    @Test
    void reportsBothMistakesWithLineAndColumn() {
        Path file = fixture("invalid/two-mistakes.yaml");
        assertEquals(List.of(
                file + ":2:21: master.shutdown-timeout: expected a duration such as 30s, 500ms, 2m, 1h, got 'soon'",
                file + ":9:14: apps[0].workers: must be at least 1, got 0"), loadErrors(file));
    }

    @Test
    void putsOneErrorPerLineInTheExceptionMessage() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("master:\n  reload: rolling\n  io-threads: -1\n", TestConfigs.FILE, Map.of()));
        assertEquals("site.yaml:2:11: master.reload: expected one of graceful, chain, got 'rolling'\n"
                + "site.yaml:3:15: master.io-threads: must be at least 0, got -1", e.getMessage());
        assertEquals(2, e.errors().size());
    }

    @Test
    void sortsErrorsByLineAndColumnWhateverTheOrderFound() {
        assertEquals(List.of(
                "site.yaml:1:1: app: unknown key (did you mean 'apps'?)",
                "site.yaml:3:5: listeners[0]: missing required key 'bind'",
                "site.yaml:3:14: listeners[0].backlog: expected an integer, got 'x'"),
                errors("app: []\nlisteners:\n  - backlog: x\n    protocol: http\n"));
    }

    @Test
    void reportsAMissingTopLevelFileWithoutPosition() {
        assertEquals(List.of("no-such-gatehouse.yaml: cannot read: No such file or directory"),
                loadErrors(Path.of("no-such-gatehouse.yaml")));
    }

    @Test
    void reportsADirectoryGivenAsTheFile(@TempDir Path dir) {
        assertEquals(List.of(dir + ": cannot read: Is a directory"), loadErrors(dir));
    }

    @Test
    void reportsOnlyTheSyntaxErrorOfABrokenFile() {
        assertEquals(List.of("site.yaml:3:1: expected ',' or ']', but got <stream end>"
                + " (while parsing a flow sequence at line 2, column 7)"),
                errors("master: {reload: nope}\napps: [a\n"));
        assertEquals(List.of("site.yaml:2:1: expected the node content, but found '<stream end>'"
                + " (while parsing a flow node)"), errors("apps: [\n"));
    }

    @Test
    void reportsDuplicateKeysAndBindingMistakesTogether() {
        assertEquals(List.of(
                "site.yaml:2:3: master.pidfile: duplicate key (first at line 1)",
                "site.yaml:3:11: master.reload: expected one of graceful, chain, got 'soon'"),
                errors("master: {pidfile: a,\n  pidfile: b,\n  reload: soon}\n"));
    }

    @Test
    void parsesTextAsIfReadFromThePretendFile() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("stats:\n  bind: 9191\n", Path.of("etc/gatehouse.yaml"), Map.of()));
        assertEquals(List.of("etc/gatehouse.yaml:2:9: stats.bind: expected host:port, [v6]:port, unix:/path, fd:N or"
                + " systemd:NAME, got '9191' (write ':9191' to listen on every interface)"), TestConfigs.lines(e));
    }

    @Test
    void printsErrorsWithoutEmptyParts() {
        Location whole = Location.ofFile(Path.of("a.yaml"));
        assertEquals("a.yaml: cannot read: x", new ConfigError(whole, "", "cannot read: x").toString());
        assertEquals("a.yaml:3:4: k: m", new ConfigError(new Location(Path.of("a.yaml"), 3, 4), "k", "m").toString());
        assertEquals("a.yaml:3:4: m", new ConfigError(new Location(Path.of("a.yaml"), 3, 4), "", "m").toString());
    }
}
