package io.gatehouse.core.master;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gatehouse.app.Headers;
import io.gatehouse.core.protocol.ProtocolCatalog;
import io.gatehouse.core.router.Dispatcher;
import io.gatehouse.core.runtime.RuntimeCatalog;
import io.gatehouse.spi.exchange.Exchange;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the master's looks at files see: touch-reload's files, and the apps-dir's files once they settle. */
class FileWatchTest {
    @TempDir
    Path dir;
    final ConfigFiles files = new ConfigFiles(ProtocolCatalog.of(new ReloadPlanTest.PlainProtocol()),
            RuntimeCatalog.of(StubRuntime.withCode()), null, java.util.Map.of());

    Path write(String name, String text) throws Exception {
        return TestFile.write(dir, name, text);
    }

    void touch(Path file, int second) throws Exception {
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2030-01-01T00:00:00Z").plusSeconds(second)));
    }

    AppSet apps(String yaml) throws Exception {
        ResolvedConfig c = files.readAll(write("g.yaml", "listeners: [{protocol: http, bind: '127.0.0.1:8080'}]\n"
                + yaml), null);
        return new AppSet(c.apps().stream().map(a -> new AppSet.Mounted(a, null, new Nowhere(a.config().name())))
                .toList());
    }

    /** Where a test's apps route: nothing serves them. */
    record Nowhere(String appName) implements Dispatcher {
        @Override
        public void dispatch(Exchange exchange) {
            exchange.response().error(503, new Headers());
        }
    }

    @Test
    void aTouchedFileReloadsItsAppOnceAndAFileAppearingOrGoingCountsToo() throws Exception {
        Path flag = write("code/reload.txt", "");
        AppSet apps = apps("""
                apps:
                  - {name: a, runtime: jvm, mount: /a, touch-reload: [code/reload.txt, code/later.txt]}
                  - {name: b, runtime: jvm, mount: /b, touch-reload: %s}
                """.formatted(flag));
        TouchReload touch = new TouchReload();
        assertEquals(Map.of(), touch.touched(apps), "the first look sees how the files are");
        assertEquals(Map.of(), touch.touched(apps));
        touch(flag, 1);
        assertEquals(Map.of("a", flag, "b", flag), touch.touched(apps));
        assertEquals(Map.of(), touch.touched(apps), "one reload for one touch");
        Path later = write("code/later.txt", "");
        assertEquals(Map.of("a", later), touch.touched(apps));
        Files.delete(later);
        assertEquals(Map.of("a", later), touch.touched(apps));
        assertEquals(Map.of(), touch.touched(apps));
    }

    @Test
    void anAppsDirFileIsReloadedOnceItHasSettledAndOnceForEachNewState() throws Exception {
        Path a = write("apps.d/a.yaml", "apps: [{name: a, runtime: jvm, mount: /a}]\n");
        Path main = write("g.yaml", "apps-dir: apps.d\nlisteners: [{protocol: http, bind: '127.0.0.1:8080'}]\n");
        ResolvedConfig running = files.readAll(main, null);
        AppsDirWatch watch = new AppsDirWatch();
        assertEquals(Set.of(), watch.changed(running));

        Path b = write("apps.d/b.yaml", "apps: [{name: b, runtime: jvm, mount: /b}]\n");
        touch(b, 1);
        assertEquals(Set.of(), watch.changed(running), "a file just written may not be whole yet");
        assertEquals(Set.of(b), watch.changed(running), "it stayed the same for one look");
        assertEquals(Set.of(), watch.changed(running), "asked once; a refused reload is not retried");
        touch(b, 2);
        watch.changed(running);
        assertEquals(Set.of(b), watch.changed(running), "a new state is asked for again");

        running = files.reread(running, Set.of(b));
        assertEquals(Set.of(), watch.changed(running), "read: nothing to do");
        touch(a, 3);
        touch(a, 4);
        assertEquals(Set.of(), watch.changed(running));
        Files.delete(b);
        assertEquals(Set.of(a), watch.changed(running), "a settled; b is not yet");
        assertEquals(Set.of(b), watch.changed(running), "b is gone");
    }
}
