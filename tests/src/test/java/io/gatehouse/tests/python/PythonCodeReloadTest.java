package io.gatehouse.tests.python;

import static io.gatehouse.tests.python.PythonApps.get;
import static io.gatehouse.tests.support.LogLines.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.tests.support.Await;
import io.gatehouse.tests.support.FreePort;
import io.gatehouse.tests.support.GatehouseProcess;
import io.gatehouse.tests.support.GatehouseYaml;
import io.gatehouse.tests.support.LogLines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reloads that deploy Python code, as uWSGI and gunicorn users expect: {@code gatehouse reload} and SIGHUP give every
 * python app new workers that import the code anew (with {@code preload}, from a new fork server);
 * {@code reload --config-only} leaves the code the workers imported; {@code reload --app} reloads one app; and
 * touch-reload reloads an app when a file is touched. Each step builds on the last, on one server.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PythonCodeReloadTest {
    @TempDir
    static Path dir;
    static Path code;
    static GatehouseProcess server;
    static int port;

    @BeforeAll
    static void start() throws IOException {
        port = FreePort.pick();
        code = Files.createDirectories(dir.resolve("code"));
        writeApp("site_app", "site 1");
        writeApp("other_app", "other 1");
        Files.writeString(code.resolve("reload.flag"), "");
        server = GatehouseProcess.start(dir, "master: {control-socket: " + dir.resolve("control.sock")
                + ", watch-interval: 200ms}\n" + GatehouseYaml.httpSite(port,
                PythonApps.app("site", "/site", "module: site_app\nchdir: " + code + "\npreload: true\nworkers: 2\n"
                        + "touch-reload: code/reload.flag")
                + PythonApps.app("other", "/other", "module: other_app\nchdir: " + code)));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** An app answering its version, its pid and its parent's (the fork server, which imported it with preload). */
    static void writeApp(String module, String version) throws IOException {
        Files.writeString(code.resolve(module + ".py"), """
                import os

                def application(environ, start_response):
                    start_response('200 OK', [('Content-Type', 'text/plain')])
                    return [('%s %%d %%d' %% (os.getpid(), os.getppid())).encode()]
                """.formatted(version));
    }

    static String version(String path) {
        String body = get(port, path).body();
        return body.substring(0, body.indexOf(' ', body.indexOf(' ') + 1));
    }

    static String[] pids(String path) {
        String[] words = get(port, path).body().split(" ");
        return new String[] {words[2], words[3]};
    }

    static GatehouseProcess.Outcome reload(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "reload";
        all[1] = "-s";
        all[2] = dir.resolve("control.sock").toString();
        System.arraycopy(args, 0, all, 3, args.length);
        GatehouseProcess.Outcome o = GatehouseProcess.command(dir, all);
        assertEquals(0, o.status(), o.stdout() + o.stderr());
        return o;
    }

    @Test
    @Order(1)
    void reloadConfigOnlyKeepsTheCodeTheWorkersImported() throws IOException {
        assertEquals("site 1", version("/site/"));
        writeApp("site_app", "site 2");
        GatehouseProcess.Outcome o = reload("--config-only");
        assertTrue(o.stdout().startsWith("reloaded: unchanged: site, other\n  site: unchanged\n"), o.stdout());
        assertEquals("site 1", version("/site/"), "the running workers keep the code they imported");
    }

    @Test
    @Order(2)
    void reloadImportsNewCodeInEveryAppFromANewForkServer() throws IOException {
        String[] before = pids("/site/");
        writeApp("other_app", "other 2");
        GatehouseProcess.Outcome o = reload();
        assertTrue(o.stdout().startsWith("reloaded: replaced: site (new code), other (new code)\n"), o.stdout());
        assertTrue(o.stdout().contains("\n  site: replaced (new code; workers replaced by generation 2 (2 ready))\n"),
                o.stdout());
        assertEquals("site 2", version("/site/"));
        assertEquals("other 2", version("/other/"));
        String[] after = pids("/site/");
        assertNotEquals(before[0], after[0], "a new worker");
        assertNotEquals(before[1], after[1], "forked by a new fork server, which imported the new code");
    }

    @Test
    @Order(3)
    void reloadNamingAnAppReloadsItAlone() throws IOException {
        String otherPid = pids("/other/")[0];
        writeApp("site_app", "site 3");
        writeApp("other_app", "other 3");
        GatehouseProcess.Outcome o = reload("--app", "site");
        assertTrue(o.stdout().startsWith("reloaded: replaced: site (asked for); unchanged: other\n"), o.stdout());
        assertEquals("site 3", version("/site/"));
        assertEquals("other 2", version("/other/"), "the other app was left alone");
        assertEquals(otherPid, pids("/other/")[0]);
    }

    @Test
    @Order(4)
    void sighupReloadsTheCodeOfEveryAppToo() {
        int reloads = count(server.output(), "INFO [Master] reloaded: ");
        server.signal("HUP");
        Await.until("the reload", Duration.ofSeconds(60),
                () -> count(server.output(), "INFO [Master] reloaded: ") > reloads);
        assertTrue(server.output().contains("INFO [Master] reloaded: replaced: site (new code), other (new code)\n"),
                server.output());
        assertEquals("other 3", version("/other/"));
    }

    @Test
    @Order(5)
    void touchingTheFileReloadsTheAppOnceAndLeavesTheOtherAlone() throws IOException {
        String otherPid = pids("/other/")[0];
        writeApp("site_app", "site 4");
        Path flag = code.resolve("reload.flag");
        Files.setLastModifiedTime(flag, FileTime.from(Instant.now().plusSeconds(10)));
        Await.until("the touch-reload", Duration.ofSeconds(60), () -> version("/site/").equals("site 4"));
        LogLines.assertLoggedOnce(server, "touch-reload: " + flag + " changed; reloading app 'site'");
        Await.until("the reload to end", Duration.ofSeconds(30), () -> server.output()
                .contains("reloaded: replaced: site (touched " + flag + "); unchanged: other"));
        assertEquals(otherPid, pids("/other/")[0]);
    }
}
