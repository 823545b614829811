package io.gatehouse.config;

import static io.gatehouse.config.TestConfigs.FILE;
import static io.gatehouse.config.TestConfigs.errors;
import static io.gatehouse.config.TestConfigs.lines;
import static io.gatehouse.config.TestConfigs.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a uWSGI user writes out of habit: bare numbers in uWSGI's units, and uWSGI's option names. */
class UwsgiHabitsTest {

    private static String app(String line) {
        return "apps:\n  - name: site\n    runtime: python\n    " + line + "\n";
    }

    @Test
    void refusesABareReloadOnRssBecauseUwsgiCountedMegabytes() {
        assertEquals(List.of("site.yaml:4:20: apps[0].reload-on-rss: 256 what? uWSGI counted megabytes; write 256MiB"),
                errors(app("reload-on-rss: 256")));
    }

    @ParameterizedTest
    @CsvSource({"0, 0", "000, 0", "256MiB, 268435456", "256M, 268435456", "1GB, 1000000000", "512KiB, 524288"})
    void takesReloadOnRssWithAUnitOrZero(String written, long bytes) {
        assertEquals(new DataSize(bytes), parse(app("reload-on-rss: " + written)).apps().get(0).reloadOnRss());
    }

    @Test
    void refusesABareLimitsMemoryBecauseUwsgisLimitAsCountedMegabytes() {
        assertEquals(List.of("site.yaml:4:22: apps[0].limits.memory: 512 what? uWSGI counted megabytes; write 512MiB"),
                errors(app("limits: {memory: 512, open-files: 1024}")));
    }

    @Test
    void takesLimitsMemoryWithAUnit() {
        assertEquals(DataSize.parse("512MiB"), parse(app("limits: {memory: 512MiB}")).apps().get(0).limits().memory());
    }

    @Test
    void namesTheAppKeysOfUwsgisUidAndLimitAs() {
        assertEquals(List.of("site.yaml:1:10: master.uid: unknown key (uWSGI's 'uid' is apps[].user here, the user the "
                + "app's processes run as; uWSGI's uid switched the whole server, as master.user does (started as "
                + "root))"), errors("master: {uid: www-data}"));
        assertEquals(List.of("site.yaml:1:10: master.limit-as: unknown key (uWSGI's 'limit-as' is "
                + "apps[].limits.memory here, the address space of each of the app's processes (RLIMIT_AS); write the "
                + "unit, e.g. 512MiB)"), errors("master: {limit-as: 512}"));
    }

    @Test
    void takesABareHarakiriInSecondsAsUwsgiDid() {
        assertEquals(java.time.Duration.ofSeconds(30), parse(app("harakiri: 30")).apps().get(0).harakiri());
    }

    @Test
    void refusesUnitRequiredOnATypeWithoutUnits() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RecordShape.of(Misdeclared.class));
        assertTrue(e.getMessage().contains("@UnitRequired applies to sizes and durations only"), e.getMessage());
    }

    private record Misdeclared(@UnitRequired(uwsgi = "megabytes", unit = "MiB") long memory) { }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "master: {processes: 4}|site.yaml:1:10: master.processes: unknown key (uWSGI's 'processes' is apps[].workers here)",
        "pidfile: /run/x.pid|site.yaml:1:1: pidfile: unknown key (uWSGI's 'pidfile' is master.pidfile here)",
        "logto: /var/log/x.log|site.yaml:1:1: logto: unknown key (uWSGI's 'logto' is logging.error-log here)",
        "stats: {stats: 127.0.0.1:9191}|site.yaml:1:9: stats.stats: unknown key (uWSGI's 'stats' is 'bind' here, "
            + "host:port, or unix:PATH for a socket)",
        "master: {master: true}|site.yaml:1:10: master.master: unknown key (uWSGI's 'master' needs no key here: "
            + "the master always runs)",
        "master: {cron: x}|site.yaml:1:10: master.cron: unknown key (uWSGI's 'cron' has no equivalent here: use a "
            + "systemd timer, or cron)",
        "master: {reload-mercy: 8}|site.yaml:1:10: master.reload-mercy: unknown key (uWSGI's 'reload-mercy' is "
            + "'shutdown-timeout' here, how long a stop waits for in-flight requests)",
        "master: {shutdown-timout: 8}|site.yaml:1:10: master.shutdown-timout: unknown key (did you mean "
            + "'shutdown-timeout'?)"})
    void namesTheGatehouseKeyOfAUwsgiOption(String yaml, String error) {
        assertEquals(List.of(error), errors(yaml));
    }

    private record PythonKeys(String module, String home) { }

    @Test
    void namesTheGatehouseKeyOfAUwsgiOptionAmongAnAppsOwnKeys() {
        String yaml = """
                listeners: [{protocol: uwsgi, bind: "127.0.0.1:3031"}]
                apps:
                  - name: site
                    runtime: python
                    module: site.wsgi
                    processes: 4
                    virtualenv: /srv/venv
                    lazy-apps: true
                    chmod-socket: 660
                    static-map: /static=/srv/static
                """;
        AtomicReference<PythonKeys> bound = new AtomicReference<>();
        List<String> errors = lines(assertThrows(ConfigException.class, () -> ConfigLoader.parse(yaml, FILE, Map.of(),
                (config, where) -> bound.set(where.key("apps").item(0).bind(config.apps().get(0).options(),
                        PythonKeys.class)))));
        assertEquals(List.of(
                "site.yaml:6:5: apps[0].processes: unknown key (uWSGI's 'processes' is 'workers' here)",
                "site.yaml:7:5: apps[0].virtualenv: unknown key (uWSGI's 'virtualenv' is 'home' here, of a runtime: "
                        + "python app)",
                "site.yaml:8:5: apps[0].lazy-apps: unknown key (uWSGI's 'lazy-apps' is 'preload: false' here, without "
                        + "it uWSGI loads the app once and forks the workers: preload: true)",
                "site.yaml:9:5: apps[0].chmod-socket: unknown key (uWSGI's 'chmod-socket' is listeners[].mode here, "
                        + "octal and quoted, e.g. mode: \"0660\")",
                "site.yaml:10:5: apps[0].static-map: unknown key (uWSGI's 'static-map' is an entry of apps[] here, "
                        + "an app of its own: runtime: static, mount: /static, root: DIR)"), errors);
        // Unknown keys leave the other values as written, so the runtime's own checks still run on them.
        assertNotNull(bound.get());
        assertEquals(new PythonKeys("site.wsgi", null), bound.get());
    }

    private record StaticKeys(String root) { }

    @Test
    void saysWhichRuntimeTakesAKeyThatIsAnotherRuntimesUwsgiName() {
        String yaml = "apps:\n  - name: files\n    runtime: static\n    root: www\n    home: /srv/venv\n";
        List<String> errors = lines(assertThrows(ConfigException.class, () -> ConfigLoader.parse(yaml, FILE, Map.of(),
                (config, where) -> where.key("apps").item(0).bind(config.apps().get(0).options(), StaticKeys.class))));
        assertEquals(List.of("site.yaml:5:5: apps[0].home: unknown key ('home' is a key of a runtime: python app)"),
                errors);
    }

    @Test
    void everyGlossaryEntryHasAKindAndEveryKeyEntryAPlace() {
        for (UwsgiGlossary.Entry e : UwsgiGlossary.entries()) {
            assertTrue(e.kind() != UwsgiGlossary.Kind.KEY || e.gatehouse().matches(
                    "(apps\\[]|listeners\\[]|master|logging|stats)(\\..+)?"), e.toString());
            assertTrue(e.kind() == UwsgiGlossary.Kind.KEY || !e.note().isEmpty(), "say what to do: " + e);
        }
        assertEquals("processes", UwsgiGlossary.find("workers").orElseThrow().name());
        assertEquals("lazy-apps", UwsgiGlossary.find("lazy_apps").orElseThrow().name());
    }

    @Test
    void theComingFromUwsgiPageListsEveryOptionOfTheGlossary() throws java.io.IOException {
        String page = java.nio.file.Files.readString(java.nio.file.Path.of("../docs/from-uwsgi.md"));
        for (UwsgiGlossary.Entry e : UwsgiGlossary.entries()) {
            for (String name : e.names()) {
                assertTrue(page.contains("`" + name + "`"), "docs/from-uwsgi.md does not list " + name);
            }
        }
    }
}
