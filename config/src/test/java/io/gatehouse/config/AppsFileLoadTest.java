package io.gatehouse.config;

import static io.gatehouse.config.TestConfigs.errors;
import static io.gatehouse.config.TestConfigs.lines;
import static io.gatehouse.config.TestConfigs.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The keys of code reloads and of the apps-dir: its files, what one of them may hold, and how it is checked. */
class AppsFileLoadTest {
    @TempDir
    Path dir;

    Path write(String name, String text) throws Exception {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        return file;
    }

    @Test
    void anAppsDirIsADirectoryOfYamlFilesOrAGlobAndHiddenFilesNeverCount() throws Exception {
        Path main = write("etc/g.yaml", "");
        write("etc/apps.d/b.yaml", "");
        write("etc/apps.d/a.yml", "");
        write("etc/apps.d/.a.yaml", "");
        write("etc/apps.d/c.yaml.dpkg-old", "");
        write("etc/apps.d/sub/d.yaml", "");
        Path d = dir.resolve("etc/apps.d");
        assertEquals(List.of(d.resolve("a.yml"), d.resolve("b.yaml")), AppsDir.files(main, "apps.d"));
        assertEquals(List.of(d.resolve("a.yml"), d.resolve("b.yaml")), AppsDir.files(main, d + "/"));
        assertEquals(List.of(d.resolve("b.yaml"), d.resolve("sub/d.yaml")), AppsDir.files(main, "apps.d/**.yaml"));
        assertEquals(d, AppsDir.directory(main, "apps.d/*.yaml"));
        assertEquals(List.of(), AppsDir.files(main, "missing.d"));
    }

    @Test
    void anAppsFileHoldsListenersAndAppsAloneAndIsCheckedLikeAMainFile() throws Exception {
        Path ok = write("ok.yaml", "listeners: [{protocol: http, bind: ':8081'}]\napps: [{name: a, runtime: jvm}]\n");
        GatehouseConfig c = ConfigLoader.loadAppsFile(ok, Map.of(), (config, where) -> { }).config();
        assertEquals("a", c.apps().get(0).name());
        assertEquals(1, c.listeners().size());

        Path bad = write("bad.yaml", "aps: []\nstats: {bind: ':9191'}\napps: [{name: a, runtime: jvm, workers: 0}]\n");
        assertEquals(List.of(bad + ":1:1: aps: unknown key (did you mean 'apps'?)",
                bad + ":2:1: stats: an apps-dir file holds only listeners: and apps:; stats: belongs in the main config",
                bad + ":3:41: apps[0].workers: must be at least 1, got 0"),
                lines(assertThrows(ConfigException.class,
                        () -> ConfigLoader.loadAppsFile(bad, Map.of(), (config, where) -> { }))));
    }

    @Test
    void touchReloadAndTheAppsReloadModeAreAppKeysAndTheWatchHasAFloor() {
        AppConfig app = parse("apps: [{name: a, runtime: jvm, reload: chain, touch-reload: /srv/a/reload}]\n")
                .apps().get(0);
        assertEquals(ReloadMode.CHAIN, app.reload());
        assertEquals(List.of("/srv/a/reload"), app.touchReload(), "a single file is a list of one");
        assertEquals(List.of("site.yaml:1:46: apps[0].touch-reload: a file name must not be empty"),
                errors("apps: [{name: a, runtime: jvm, touch-reload: ['']}]\n"));
        assertEquals(Duration.ofMillis(200), parse("master: {watch-interval: 200ms}\n").master().watchInterval());
        assertEquals(List.of("site.yaml:1:26: master.watch-interval: must be at least 200ms (the master's tick), got "
                + "100ms"), errors("master: {watch-interval: 100ms}\n"));
        assertEquals(List.of("site.yaml:1:11: apps-dir: must not be empty"), errors("apps-dir: ''\n"));
    }
}
