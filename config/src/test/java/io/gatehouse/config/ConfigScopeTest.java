package io.gatehouse.config;

import static io.gatehouse.config.TestConfigs.FILE;
import static io.gatehouse.config.TestConfigs.lines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Key paths resolved to where they were written, as a protocol's or runtime's checks report through them. */
class ConfigScopeTest {

    private static final String SITE = """
            listeners:
              - protocol: uwsgi
                bind: 127.0.0.1:3031
            apps:
              - name: blog
                runtime: python
                wsgi-file: blog.py
                pythonpath: [lib, vendor]
                env:
                  LANG: C.UTF-8
              - name: one
                runtime: python
                mount: /one
                pythonpath: lib
            """;

    private record PythonKeys(String wsgiFile, List<String> pythonpath, Map<String, String> env,
            @Default("30s") Duration heartbeat) { }

    /** The errors of {@code yaml} with {@code checks} run on its document, as the loader reports them. */
    private static List<String> report(String yaml, Consumer<ConfigScope> checks) {
        return report(yaml, (config, where) -> checks.accept(where));
    }

    private static List<String> report(String yaml, BiConsumer<GatehouseConfig, ConfigScope> checks) {
        return lines(assertThrows(ConfigException.class, () -> ConfigLoader.parse(yaml, FILE, Map.of(), checks)));
    }

    /** The scope {@code find} picks from SITE's document. */
    private static ConfigScope scope(Function<ConfigScope, ConfigScope> find) {
        AtomicReference<ConfigScope> found = new AtomicReference<>();
        ConfigLoader.parse(SITE, FILE, Map.of(), (config, where) -> found.set(find.apply(where)));
        return found.get();
    }

    @Test
    void placesNestedKeysWhereTheirValuesWereWritten() {
        assertEquals(List.of(
                "site.yaml:7:16: apps[0].wsgi-file: no such file",
                "site.yaml:10:13: apps[0].env.LANG: not a locale here"), report(SITE, where -> {
                    ConfigScope app = where.key("apps").item(0);
                    app.key("wsgi-file").error("no such file");
                    app.key("env").key("LANG").error("not a locale here");
                }));
    }

    @Test
    void placesListItemsWhereEachWasWritten() {
        assertEquals(List.of("site.yaml:8:23: apps[0].pythonpath[1]: no such directory"),
                report(SITE, where -> where.key("apps").item(0).key("pythonpath").item(1).error("no such directory")));
    }

    @Test
    void placesASingleValueThatStandsForAListAtItsOwnPlace() {
        assertEquals(List.of("site.yaml:14:17: apps[1].pythonpath[0]: no such directory"),
                report(SITE, where -> where.key("apps").item(1).key("pythonpath").item(0).error("no such directory")));
    }

    @Test
    void placesAMissingKeyOrItemWhereItsParentIs() {
        assertEquals(List.of(
                "site.yaml:5:5: apps[0].home: not given",
                "site.yaml:5:5: apps[0].venv.bin: not given",
                "site.yaml:8:17: apps[0].pythonpath[2]: not given",
                "site.yaml:11:5: apps[1].env.LANG: not given"), report(SITE, where -> {
                    ConfigScope apps = where.key("apps");
                    apps.item(0).key("home").error("not given");
                    apps.item(0).key("venv").key("bin").error("not given");
                    apps.item(0).key("pythonpath").item(2).error("not given");
                    apps.item(1).key("env").key("LANG").error("not given");
                }));
    }

    @Test
    void placesAMissingTopLevelKeyAtTheFile() {
        assertEquals(List.of("site.yaml: stats: not given"), report(SITE, where -> where.key("stats").error("not given")));
    }

    @Test
    void reportsOnABlockItselfUnderItsPath() {
        assertEquals(List.of("site.yaml:2:5: listeners[0]: needs a secret"),
                report(SITE, where -> where.key("listeners").item(0).error("needs a secret")));
    }

    @Test
    void pinsKeysToTheBlockWhenAsked() {
        assertEquals(List.of("site.yaml:5:5: apps[0].pythonpath[1]: no such directory"), report(SITE, where ->
                where.key("apps").item(0).pinned().key("pythonpath").item(1).error("no such directory")));
    }

    @Test
    void tellsAWrittenKeyFromADefaultOne() {
        assertTrue(scope(where -> where.key("apps").item(1).key("mount")).written());
        assertFalse(scope(where -> where.key("apps").item(0).key("mount")).written());
        assertFalse(scope(where -> where.key("apps").item(5)).written());
        ConfigScope lang = scope(where -> where.key("apps").item(0).key("env").key("LANG"));
        assertEquals("apps[0].env.LANG", lang.path());
        assertEquals(new Location(FILE, 10, 13), lang.location());
    }

    @Test
    void bindsAnAppsOwnKeysUnderItsPath() {
        AtomicReference<PythonKeys> bound = new AtomicReference<>();
        ConfigLoader.parse(SITE, FILE, Map.of(), (config, where) ->
                bound.set(where.key("apps").item(0).bind(config.apps().get(0).options(), PythonKeys.class)));
        assertEquals(new PythonKeys("blog.py", List.of("lib", "vendor"), Map.of("LANG", "C.UTF-8"),
                Duration.ofSeconds(30)), bound.get());
    }

    @Test
    void bindsNoKeysAsAnEmptyMappingAtTheScope() {
        assertEquals(List.of("site.yaml:2:5: listeners[0]: missing required key 'secret'"), report(SITE,
                (config, where) -> where.key("listeners").item(0).bind(null, Secret.class)));
    }

    private record Secret(@Required String secret) { }

    @Test
    void givesNoOptionsAfterAMistakeAndReportsItWithTheLoadersOwn() {
        AtomicReference<PythonKeys> bound = new AtomicReference<>();
        List<String> errors = report(SITE.replace("runtime: python\n    mount", "runtime: python\n    heartbeat: x\n"
                + "    mount").replace("name: one", "name: blog"), (config, where) ->
                bound.set(where.key("apps").item(1).bind(config.apps().get(1).options(), PythonKeys.class)));
        assertNull(bound.get());
        assertEquals(List.of(
                "site.yaml:11:11: apps[1].name: duplicate app name 'blog' (first at site.yaml:5:11)",
                "site.yaml:13:16: apps[1].heartbeat: expected a duration such as 30s, 500ms, 2m, 1h, got 'x'"), errors);
    }

    @Test
    void hasAnAppWhoseOwnCheckFailedCheckedFurtherWithAStandInForTheValueThatFailed() {
        AtomicReference<AppConfig> seen = new AtomicReference<>();
        List<String> errors = report("""
                apps:
                  - name: blog
                    runtime: python
                    mount: blog
                  - name: other
                    runtime: python
                """, (config, where) -> {
                    seen.set(config.apps().get(0));
                    where.key("apps").item(0).key("wsgi-file").error("no such file: blog.py");
                });
        assertEquals("blog", seen.get().name(), "the app is there for the runtime's checks");
        // Its mount failed: its stand-in '/' takes no part in the check of routes, which would report a false clash.
        assertEquals(List.of("site.yaml:2:5: apps[0].wsgi-file: no such file: blog.py",
                "site.yaml:4:12: apps[0].mount: must start with '/', got 'blog'"), errors);
    }

    @Test
    void runsTheChecksOfOptionsWithAValueMistakeOnStandInsAndKeepsWhatTheyFindElsewhere() {
        AtomicReference<PythonKeys> checked = new AtomicReference<>();
        List<String> errors = report(SITE.replace("wsgi-file: blog.py", "wsgi-file: blog.py\n    heartbeat: soon"),
                (config, where) -> {
                    PythonKeys bound = where.key("apps").item(0).bindAndCheck(config.apps().get(0).options(),
                            PythonKeys.class, (keys, at) -> {
                                checked.set(keys);
                                at.key("wsgi-file").error("no such file: blog.py");
                                at.key("heartbeat").error("a report about the stand-in, dropped");
                                throw new IllegalStateException("a stand-in tripped the check");
                            });
                    assertNull(bound, "options with a mistake are not handed on");
                });
        assertEquals(Duration.ofSeconds(30), checked.get().heartbeat(), "the stand-in is the default");
        assertEquals(List.of(
                "site.yaml:7:16: apps[0].wsgi-file: no such file: blog.py",
                "site.yaml:8:16: apps[0].heartbeat: expected a duration such as 30s, 500ms, 2m, 1h, got 'soon'"), errors);
    }
}
