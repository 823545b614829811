package io.gatehouse.core.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.protocol.ProtocolCatalog;
import io.gatehouse.core.runtime.RuntimeCatalog;
import io.gatehouse.core.stats.ServerStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A master's reloads of code, by request, by touch-reload and by its apps-dir watch, with the runtime stubbed. */
class MasterWatchTest {
    @TempDir
    Path dir;
    ServingMaster serving;
    Master master;
    final StubRuntime code = StubRuntime.withCode();
    final StubRuntime files = StubRuntime.withoutCode();

    void start(String yaml) throws Exception {
        Path file = write("g.yaml", "master: {watch-interval: 200ms}\n"
                + "listeners: [{protocol: http, bind: '127.0.0.1:0'}]\n" + yaml);
        serving = ServingMaster.boot(file, ProtocolCatalog.of(new ReloadPlanTest.PlainProtocol()),
                RuntimeCatalog.of(code, files));
        master = serving.master;
    }

    @AfterEach
    void stop() throws Exception {
        if (serving != null) {
            serving.close();
        }
    }

    Path write(String name, String text) throws Exception {
        return TestFile.write(dir, name, text);
    }

    int generation(String app) {
        return master.pools().get(app).status().generation();
    }

    static void await(String what, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void aReloadGivesEveryAppWithCodeNewWorkersAndSaysSoPerApp() throws Exception {
        start("apps:\n  - {name: a, runtime: jvm, mount: /a}\n  - {name: s, runtime: static, mount: /s}\n");
        ReloadReport all = master.reload(ReloadScope.everything()).get(10, TimeUnit.SECONDS);
        assertTrue(all.ok(), all.toString());
        assertEquals(List.of(new ReloadReport.AppOutcome("a", "replaced", "new code; workers replaced by generation 2 "
                + "(1 ready)"), new ReloadReport.AppOutcome("s", "unchanged", "")), all.apps());
        assertEquals(2, generation("a"));
        assertEquals(1, generation("s"));

        ReloadReport configOnly = master.reload(ReloadScope.configOnly()).get(10, TimeUnit.SECONDS);
        assertEquals("unchanged: a, s", configOnly.summary());
        assertEquals(2, generation("a"));

        ReloadReport one = master.reload(ReloadScope.apps(Set.of("s"))).get(10, TimeUnit.SECONDS);
        assertEquals("replaced: s (asked for); unchanged: a", one.summary());
        assertEquals(2, generation("s"));
        assertEquals(List.of("a", "a"), code.prepared, "a new class loader (here: factory) for each generation");
        assertEquals(List.of("s", "s"), files.prepared);
    }

    @Test
    void touchingAFileReloadsItsAppAlone() throws Exception {
        Path flag = write("reload.flag", "");
        start("apps:\n  - {name: a, runtime: jvm, mount: /a, touch-reload: reload.flag}\n"
                + "  - {name: b, runtime: jvm, mount: /b}\n");
        Files.setLastModifiedTime(flag, FileTime.from(Instant.now().plusSeconds(5)));
        await("the touch-reload", () -> generation("a") == 2);
        assertEquals(1, generation("b"));
        Thread.sleep(600);
        assertEquals(2, generation("a"), "one touch, one reload");
    }

    @Test
    void anAppsDirFileAddedChangedBrokenAndRemovedStartsReloadsKeepsAndStopsItsAppsAlone() throws Exception {
        write("apps.d/a.yaml", "apps: [{name: a, runtime: jvm, mount: /a}]\n");
        start("apps-dir: apps.d\napps: [{name: main, runtime: jvm, mount: /main}]\n");
        assertEquals(Set.of("main", "a"), master.pools().keySet());

        write("apps.d/b.yaml", "apps: [{name: b, runtime: jvm, mount: /b}]\n");
        await("b to start", () -> master.pools().containsKey("b"));
        write("apps.d/a.yaml", "apps: [{name: a, runtime: jvm, mount: /a, workers: 2}]\n");
        await("a to be replaced", () -> generation("a") == 2);
        assertEquals(1, generation("main"));
        assertEquals(1, generation("b"));

        Path broken = write("apps.d/b.yaml", "apps: [{name: b, runtime: jvm, mount: b}]\n");
        await("b's file refused", () -> fileState(broken).refused());
        assertTrue(master.pools().containsKey("b"), "b runs on as it was");
        assertEquals(List.of(broken + ":1:39: apps[0].mount: must start with '/', got 'b'"), fileState(broken).errors());

        Files.delete(dir.resolve("apps.d/a.yaml"));
        await("a to stop", () -> !master.pools().containsKey("a"));
        assertEquals(Set.of("main", "b"), master.pools().keySet());
        ServerStatus.AppInfo b = master.status().apps().stream().filter(x -> x.name().equals("b")).findFirst()
                .orElseThrow();
        assertEquals(broken.toAbsolutePath().toString(), b.file());
        assertFalse(master.status().appsFiles().isEmpty());
    }

    ServerStatus.AppsFileInfo fileState(Path file) {
        return master.status().appsFiles().stream().filter(f -> f.file().equals(file.toAbsolutePath().toString()))
                .findFirst().orElse(new ServerStatus.AppsFileInfo("", false, List.of(), List.of()));
    }
}
