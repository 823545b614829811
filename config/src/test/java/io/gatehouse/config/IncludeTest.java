package io.gatehouse.config;

import static io.gatehouse.config.TestConfigs.fixture;
import static io.gatehouse.config.TestConfigs.loadErrors;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IncludeTest {

    private static List<String> names(GatehouseConfig config) {
        return config.apps().stream().map(AppConfig::name).toList();
    }

    private static Path write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }

    @Test
    void mergesGlobMatchesInSortedOrderAfterTheIncludingFile() {
        Path dir = fixture("includes/basic");
        LoadedConfig loaded = ConfigLoader.load(dir.resolve("site.yaml"), Map.of());
        GatehouseConfig config = loaded.config();
        assertEquals(List.of("main", "alpha", "beta"), names(config));
        assertEquals(List.of("http", "uwsgi"), config.listeners().stream().map(ListenerConfig::protocol).toList());
        assertEquals("/run/gatehouse.pid", config.master().pidfile());
        assertEquals(ReloadMode.CHAIN, config.master().reload());
        assertEquals(LogLevel.WARN, config.logging().level());
        assertEquals(List.of(dir.resolve("site.yaml"), dir.resolve("conf.d/a.yaml"), dir.resolve("conf.d/b.yaml")),
                loaded.files());
    }

    @Test
    void keepsLocationsInTheIncludedFiles() {
        Path dir = fixture("includes/basic");
        GatehouseConfig config = ConfigLoader.load(dir.resolve("site.yaml"), Map.of()).config();
        assertEquals(new Location(dir.resolve("conf.d/a.yaml"), 4, 5), config.apps().get(1).origin());
        assertEquals(new Location(dir.resolve("conf.d/b.yaml"), 4, 5), config.apps().get(2).origin());
    }

    @Test
    void reportsAValueSetInTwoFilesNamingBothPlaces() {
        Path dir = fixture("includes/conflict");
        assertEquals(List.of(
                dir.resolve("extra.yaml") + ":2:12: master.pidfile: already set at " + dir.resolve("site.yaml") + ":3:12",
                dir.resolve("extra.yaml") + ":3:11: master.reload: is a list here but a single value at "
                        + dir.resolve("site.yaml") + ":4:11"),
                loadErrors(dir.resolve("site.yaml")));
    }

    @Test
    void reportsAnIncludeCycleAtTheIncludeThatClosesIt() {
        Path dir = fixture("includes/cycle");
        Path site = dir.resolve("site.yaml");
        Path a = dir.resolve("a.yaml");
        Path b = dir.resolve("b.yaml");
        assertEquals(List.of(b + ":2:5: include[0]: include cycle: " + site + " -> " + a + " -> " + b + " -> " + site),
                loadErrors(site));
    }

    @Test
    void reportsAMissingFileButNotAGlobThatMatchesNothing() {
        Path dir = fixture("includes/missing");
        assertEquals(List.of(dir.resolve("site.yaml") + ":3:5: include[1]: cannot read " + dir.resolve("extra.yaml")
                + ": No such file or directory"), loadErrors(dir.resolve("site.yaml")));
    }

    @Test
    void reportsMistakesInNestedIncludesWithTheIncludedFilesName() {
        Path dir = fixture("includes/nested");
        assertEquals(List.of(
                dir.resolve("conf.d/apps.yaml") + ":5:14: apps[0].threads: must be at least 1, got 0",
                dir.resolve("conf.d/more/deep.yaml") + ":5:12: apps[1].queue: must be at least 0, got -1"),
                loadErrors(dir.resolve("site.yaml")));
    }

    @Test
    void reportsDuplicateAppNamesAcrossFiles() {
        Path dir = fixture("includes/duplicates");
        assertEquals(List.of(dir.resolve("conf.d/b.yaml") + ":2:11: apps[2].name: duplicate app name 'api' (first at "
                + dir.resolve("conf.d/a.yaml") + ":2:11)"), loadErrors(dir.resolve("site.yaml")));
    }

    @Test
    void namesIncludedFilesRelativeToARelativeMainFile(@TempDir Path dir) throws IOException {
        write(dir.resolve("conf.d/x.yaml"), "master: {pidfile: /x.pid}\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader
                .parse("include: conf.d/*.yaml\nmaster: {pidfile: /y.pid}\n", dir.resolve("site.yaml"), Map.of()));
        assertEquals(dir.resolve("conf.d/x.yaml"), e.errors().get(0).location().file());
    }

    @Test
    void acceptsAbsolutePatternsAndInterpolatedPatterns(@TempDir Path dir) throws IOException {
        write(dir.resolve("apps/one.yaml"), "apps: [{name: one, runtime: jvm, mount: /one}]\n");
        write(dir.resolve("extra/two.yaml"), "apps: [{name: two, runtime: jvm, mount: /two}]\n");
        Path site = write(dir.resolve("etc/site.yaml"),
                "include:\n  - " + dir.resolve("apps") + "/*.yaml\n  - ${EXTRA}/two.yaml\n");
        GatehouseConfig config = ConfigLoader.load(site, Map.of("EXTRA", dir.resolve("extra").toString())).config();
        assertEquals(List.of("one", "two"), names(config));
    }

    @Test
    void matchesDeeperFilesWithDoubleStar(@TempDir Path dir) throws IOException {
        write(dir.resolve("apps/b/one.yaml"), "apps: [{name: one, runtime: jvm, mount: /one}]\n");
        write(dir.resolve("apps/a/deep/two.yaml"), "apps: [{name: two, runtime: jvm, mount: /two}]\n");
        write(dir.resolve("apps/top.yaml"), "apps: [{name: top, runtime: jvm, mount: /top}]\n");
        Path site = write(dir.resolve("site.yaml"), "include: apps/**/*.yaml\n");
        assertEquals(List.of("two", "one"), names(ConfigLoader.load(site, Map.of()).config()));
    }

    @Test
    void readsAFileMatchedByTwoPatternsOnce(@TempDir Path dir) throws IOException {
        write(dir.resolve("conf.d/app.yaml"), "apps: [{name: one, runtime: jvm}]\n");
        Path site = write(dir.resolve("site.yaml"), "include: [conf.d/*.yaml, conf.d/app.yaml, ./conf.d/app.yaml]\n");
        LoadedConfig loaded = ConfigLoader.load(site, Map.of());
        assertEquals(List.of("one"), names(loaded.config()));
        assertEquals(2, loaded.files().size());
    }

    @Test
    void letsIncludedFilesIncludeFilesBesideThemselves(@TempDir Path dir) throws IOException {
        write(dir.resolve("conf.d/apps.yaml"), "include: more.yaml\napps: [{name: one, runtime: jvm, mount: /1}]\n");
        write(dir.resolve("conf.d/more.yaml"), "apps: [{name: two, runtime: jvm, mount: /2}]\n");
        Path site = write(dir.resolve("site.yaml"), "include: conf.d/apps.yaml\n");
        assertEquals(List.of("one", "two"), names(ConfigLoader.load(site, Map.of()).config()));
    }

    @Test
    void rejectsAnIncludeThatIsNotAFileNameOrList(@TempDir Path dir) throws IOException {
        Path site = write(dir.resolve("site.yaml"), "include: {a: b}\n");
        assertEquals(List.of(site + ":1:10: include: expected a file name, a glob pattern or a list of them"),
                loadErrors(site));
        Path list = write(dir.resolve("list.yaml"), "include: [[a]]\n");
        assertEquals(List.of(list + ":1:11: include[0]: expected a file name or glob pattern, got a list"),
                loadErrors(list));
    }

    @Test
    void reportsASyntaxErrorInAnIncludedFileUnderItsOwnName(@TempDir Path dir) throws IOException {
        Path broken = write(dir.resolve("broken.yaml"), "apps:\n  - name: x\n   runtime: jvm\n");
        Path site = write(dir.resolve("site.yaml"), "include: broken.yaml\napps: [{name: y}]\n");
        List<String> errors = loadErrors(site);
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).startsWith(broken + ":3:"), errors.toString());
    }
}
