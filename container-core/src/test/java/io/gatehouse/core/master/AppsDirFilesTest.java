package io.gatehouse.core.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.config.ConfigException;
import io.gatehouse.core.protocol.ProtocolCatalog;
import io.gatehouse.core.runtime.RuntimeCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The apps-dir files of a config: read with the main file, each accepted or refused on its own, and read anew. */
class AppsDirFilesTest {
    @TempDir
    Path dir;
    final ConfigFiles files = new ConfigFiles(ProtocolCatalog.of(new ReloadPlanTest.PlainProtocol()),
            RuntimeCatalog.of(StubRuntime.withCode()), null, java.util.Map.of());

    Path write(String name, String text) throws Exception {
        return TestFile.write(dir, name, text);
    }

    Path main(String appsDir) throws Exception {
        return write("g.yaml", "apps-dir: " + appsDir + "\nlisteners: [{protocol: http, bind: '127.0.0.1:8080'}]\n"
                + "apps: [{name: main, runtime: jvm, mount: /main}]\n");
    }

    static String app(String name) {
        return "apps: [{name: " + name + ", runtime: jvm, mount: /" + name + "}]\n";
    }

    static List<String> names(ResolvedConfig c) {
        return c.apps().stream().map(a -> a.config().name()).toList();
    }

    @Test
    void aDirectoryMeansItsYamlFilesInOrderAndEachMayBringListeners() throws Exception {
        write("apps.d/b.yaml", app("b"));
        write("apps.d/a.yml", "listeners: [{name: a-http, protocol: http, bind: '127.0.0.1:8081'}]\n" + app("a"));
        write("apps.d/.b.yaml.swp.yaml", app("hidden"));
        write("apps.d/notes.txt", "not yaml");
        ResolvedConfig c = files.readAll(main("apps.d"), null);
        assertEquals(List.of("main", "a", "b"), names(c));
        assertEquals(List.of("http@127.0.0.1:8080", "a-http"), c.listeners().stream()
                .map(l -> l.config().displayName()).toList());
        assertEquals(List.of(dir.resolve("apps.d/a.yml"), dir.resolve("apps.d/b.yaml")),
                List.copyOf(c.appsFiles().keySet()));
        assertEquals(List.of(), c.refusals());
    }

    @Test
    void aGlobPicksItsFilesAndAMissingDirectoryIsAnErrorAtTheKey() throws Exception {
        write("apps.d/one.app.yaml", app("one"));
        write("apps.d/two.yaml", app("two"));
        assertEquals(List.of("main", "one"), names(files.readAll(main("apps.d/*.app.yaml"), null)));
        ConfigException e = assertThrows(ConfigException.class, () -> files.readAll(main("nowhere/*.yaml"), null));
        assertEquals(dir.resolve("g.yaml") + ":1:11: apps-dir: no such directory: " + dir.resolve("nowhere"),
                e.getMessage());
    }

    @Test
    void aFileWithErrorsIsRefusedWithFileLineAndColumnAndTheOthersLoad() throws Exception {
        write("apps.d/a.yaml", app("a"));
        Path broken = write("apps.d/b.yaml", "apps:\n  - {name: b, runtime: jvm, workers: 0}\n");
        write("apps.d/c.yaml", "master: {pidfile: /tmp/x}\ninclude: other.yaml\n" + app("c"));
        ResolvedConfig c = files.readAll(main("apps.d"), null);
        assertEquals(List.of("main", "a"), names(c));
        assertEquals(List.of(broken + ":2:38: apps[0].workers: must be at least 1, got 0"),
                c.appsFiles().get(broken).errors());
        assertEquals(List.of(dir.resolve("apps.d/c.yaml") + ":1:1: master: an apps-dir file holds only listeners: "
                + "and apps:; master: belongs in the main config", dir.resolve("apps.d/c.yaml") + ":2:1: include: an "
                + "apps-dir file holds only listeners: and apps:; each file is watched on its own, so it includes "
                + "nothing"), c.appsFiles().get(dir.resolve("apps.d/c.yaml")).errors());
        assertEquals(3, c.refusals().size());
    }

    @Test
    void theMainFilesMistakesAndThoseOfItsAppsFilesAreReportedAtOnce() throws Exception {
        Path broken = write("apps.d/b.yaml", "apps: [{name: b, runtime: jvm, threads: 0}]\n");
        Path main = write("g.yaml", "apps-dir: apps.d\nlisteners: []\napps: [{name: a, runtime: jvm, queue: -1}]\n");
        ConfigException e = assertThrows(ConfigException.class, () -> files.readAll(main, null));
        assertEquals(List.of(broken + ":1:41: apps[0].threads: must be at least 1, got 0",
                main + ":3:39: apps[0].queue: must be at least 0, got -1"), e.errors().stream()
                .map(Object::toString).toList());
    }

    @Test
    void aNameSocketOrRouteTakenInAnotherFileRefusesTheLaterFileNamingBoth() throws Exception {
        write("apps.d/a.yaml", "listeners: [{name: web, protocol: http, bind: '127.0.0.1:9000'}]\n" + app("a"));
        Path b = write("apps.d/b.yaml", "apps: [{name: a, runtime: jvm, mount: /other}]\n");
        Path c = write("apps.d/c.yaml", "listeners: [{protocol: http, bind: '127.0.0.1:9000'}]\n");
        Path d = write("apps.d/d.yaml", "apps: [{name: d, runtime: jvm, mount: /main}]\n");
        ResolvedConfig config = files.readAll(main("apps.d"), null);
        assertEquals(List.of("main", "a"), names(config));
        assertEquals(List.of(b + ":1:8: apps[0]: app name 'a' is already declared at " + dir.resolve("apps.d/a.yaml")
                + ":2:8 (names, sockets and routes must be unique across files)"), config.appsFiles().get(b).errors());
        assertTrue(config.appsFiles().get(c).errors().get(0).contains("socket 127.0.0.1:9000 is already declared at "
                + dir.resolve("apps.d/a.yaml") + ":1:13"), config.appsFiles().get(c).toString());
        assertTrue(config.appsFiles().get(d).errors().get(0).contains("the default host and mount '/main' is already "
                + "declared at " + dir.resolve("g.yaml") + ":3:8"), config.appsFiles().get(d).toString());
    }

    @Test
    void readingFilesAnewAddsChangesAndRemovesTheirAppsAndLeavesTheMainFileAlone() throws Exception {
        Path a = write("apps.d/a.yaml", app("a"));
        Path b = write("apps.d/b.yaml", app("b"));
        ResolvedConfig running = files.readAll(main("apps.d"), null);
        write("g.yaml", "this main file is now broken: [");
        write("apps.d/a.yaml", "apps:\n  - {name: a, runtime: jvm, mount: /a}\n"
                + "  - {name: a2, runtime: jvm, mount: /a2}\n");
        Files.delete(b);
        Path c = write("apps.d/c.yaml", app("c"));
        ResolvedConfig next = files.reread(running, Set.of(a, b, c));
        assertEquals(List.of("main", "a", "a2", "c"), names(next));
        assertEquals(List.of(a, c), List.copyOf(next.appsFiles().keySet()));
        assertEquals(running.config(), next.config(), "the main file is not read");
    }

    @Test
    void aRefusedChangeKeepsTheFilesPreviousAppsAndAFixLoadsIt() throws Exception {
        Path a = write("apps.d/a.yaml", app("a"));
        ResolvedConfig running = files.readAll(main("apps.d"), null);
        write("apps.d/a.yaml", "apps: [{name: a, runtime: jvm, mount: nope}]\n");
        ResolvedConfig refused = files.reread(running, Set.of(a));
        assertEquals(List.of("main", "a"), names(refused));
        assertEquals("/a", refused.app("a").config().mount(), "the previous version of the app runs on");
        assertTrue(refused.appsFiles().get(a).refused());
        write("apps.d/a.yaml", "apps: [{name: a, runtime: jvm, mount: /fixed}]\n");
        ResolvedConfig fixed = files.reread(refused, Set.of(a));
        assertEquals("/fixed", fixed.app("a").config().mount());
        assertEquals(List.of(), fixed.refusals());
    }

    @Test
    void aMainFileThatTakesTheNameOfAnUnchangedFilesAppIsRefusedWhole() throws Exception {
        write("apps.d/a.yaml", app("a"));
        Path main = main("apps.d");
        ResolvedConfig running = files.readAll(main, null);
        write("g.yaml", Files.readString(main).replace("name: main", "name: a"));
        ConfigException e = assertThrows(ConfigException.class, () -> files.readAll(main, running));
        assertTrue(e.getMessage().startsWith(main + ":3:8: app name 'a' is also declared at "
                + dir.resolve("apps.d/a.yaml") + ":1:8"), e.getMessage());
    }

    @Test
    void reloadingOneAppTakesItsConfigAloneAndRefusesAnUnknownName() throws Exception {
        write("apps.d/a.yaml", app("a"));
        Path main = main("apps.d");
        ResolvedConfig running = files.readAll(main, null);
        write("apps.d/a.yaml", "apps: [{name: a, runtime: jvm, mount: /moved}]\n");
        write("g.yaml", Files.readString(main).replace("mount: /main", "mount: /main2"));
        ResolvedConfig next = files.next(ReloadScope.apps(Set.of("a")), running);
        assertEquals("/moved", next.app("a").config().mount());
        assertEquals("/main", next.app("main").config().mount(), "the other apps stay as they run");
        assertEquals(running.appsFiles(), next.appsFiles(), "the file is read again by the watch, which sees it");
        Reload.Refused e = assertThrows(Reload.Refused.class, () -> files.next(ReloadScope.apps(Set.of("x")),
                running));
        assertEquals("no app named 'x' in " + main + " or its apps-dir", e.getMessage());
    }
}
