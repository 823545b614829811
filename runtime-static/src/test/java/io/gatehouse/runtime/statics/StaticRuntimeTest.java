package io.gatehouse.runtime.statics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.gatehouse.app.Environ;
import io.gatehouse.config.AppConfig;
import io.gatehouse.core.pool.PoolSettings;
import io.gatehouse.core.pool.WorkerPool;
import io.gatehouse.core.router.Router;
import io.gatehouse.core.testing.Answer;
import io.gatehouse.core.testing.CheckedOptions;
import io.gatehouse.core.testing.LocalExchangeServer;
import io.gatehouse.core.testing.Requests;
import io.gatehouse.spi.exchange.EnvironHead;
import io.gatehouse.spi.runtime.RuntimeContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaticRuntimeTest {
    @TempDir
    Path dir;
    Path root;
    LocalExchangeServer server;

    @BeforeEach
    void files() throws Exception {
        root = Files.createDirectories(dir.resolve("public"));
        Files.writeString(root.resolve("app.css"), "body{}");
        Files.write(root.resolve("data.bin"), "0123456789".getBytes(StandardCharsets.US_ASCII));
        Files.createDirectories(root.resolve("docs"));
        Files.writeString(root.resolve("docs/index.html"), "<h1>docs</h1>");
        Files.createDirectories(root.resolve("empty"));
        Files.writeString(root.resolve("caf\u00e9.txt"), "utf-8 name");
        Files.writeString(dir.resolve("secret.txt"), "outside");
        Files.createSymbolicLink(root.resolve("link.txt"), dir.resolve("secret.txt"));
        server = serve("");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    LocalExchangeServer serve(String extra) throws Exception {
        return serve(dir, root, extra);
    }

    /** The static app "s" at /static serving {@code root}, with {@code extra} app keys (indented four spaces). */
    static LocalExchangeServer serve(Path dir, Path root, String extra) throws Exception {
        String yaml = "listeners: [{protocol: http, bind: \"127.0.0.1:0\"}]\napps:\n  - name: s\n    runtime: static\n"
                + "    mount: /static\n    root: " + root + "\n" + extra;
        CheckedOptions<AppConfig, StaticOptions> app = CheckedOptions.firstApp(new StaticRuntime(), yaml,
                dir.resolve("t.yaml"));
        WorkerPool pool = new WorkerPool(PoolSettings.of(app.config()), new StaticRuntime().prepare(app.config(),
                app.options(), new RuntimeContext(null, dir)));
        pool.start();
        return new LocalExchangeServer(Router.builder().mount(List.of(), "/static", pool).build());
    }

    Answer get(String path, String... headers) {
        EnvironHead h = Requests.get(path);
        Environ env = h.environ();
        for (int i = 0; i < headers.length; i += 2) {
            env.put(headers[i], headers[i + 1]);
        }
        return server.connect().send(h).answer();
    }

    @Test
    void servesAFileWithTypeLengthAndValidators() {
        Answer a = get("/static/app.css");
        assertEquals(200, a.status());
        assertEquals("body{}", a.text());
        assertEquals("text/css; charset=utf-8", a.header("Content-Type"));
        assertEquals("6", a.header("Content-Length"));
        assertEquals("bytes", a.header("Accept-Ranges"));
        assertEquals(a.header("ETag"), get("/static/app.css").header("ETag"));
    }

    @Test
    void answers304ForAMatchingEtagOrAnUnchangedDate() {
        Answer first = get("/static/app.css");
        assertEquals(304, get("/static/app.css", "HTTP_IF_NONE_MATCH", first.header("ETag")).status());
        assertEquals(304, get("/static/app.css", "HTTP_IF_MODIFIED_SINCE", first.header("Last-Modified")).status());
        assertEquals(200, get("/static/app.css", "HTTP_IF_NONE_MATCH", "\"other\"").status());
    }

    @Test
    void servesSingleByteRanges() {
        Answer a = get("/static/data.bin", "HTTP_RANGE", "bytes=2-5");
        assertEquals(206, a.status());
        assertEquals("2345", a.text());
        assertEquals("bytes 2-5/10", a.header("Content-Range"));
        assertEquals("789", get("/static/data.bin", "HTTP_RANGE", "bytes=-3").text());
        assertEquals("89", get("/static/data.bin", "HTTP_RANGE", "bytes=8-").text());
        Answer beyond = get("/static/data.bin", "HTTP_RANGE", "bytes=10-12");
        assertEquals(416, beyond.status());
        assertEquals("bytes */10", beyond.header("Content-Range"));
        assertEquals(200, get("/static/data.bin", "HTTP_RANGE", "bytes=0-1,4-5").status(), "several ranges: all");
        assertEquals(200, get("/static/data.bin", "HTTP_RANGE", "bytes=2-5", "HTTP_IF_RANGE", "\"stale\"").status());
    }

    @Test
    void hasNoCodeForAReloadToLoad() {
        assertFalse(new StaticRuntime().loadsCode(), "a reload leaves a static app alone unless its config changed");
    }

    @Test
    void neverLeavesTheRoot() {
        assertEquals(404, get("/static/../secret.txt").status());
        assertEquals(404, get("/static/docs/../../secret.txt").status());
        assertEquals(403, get("/static/link.txt").status(), "a symlink out of the root");
        assertEquals(404, get("/static/nothing.txt").status());
    }

    @Test
    void followsSymlinksOnlyWhenAllowed() throws Exception {
        server.close();
        server = serve("    follow-symlinks: true\n");
        assertEquals("outside", get("/static/link.txt").text());
    }

    @Test
    void servesIndexFilesAndRedirectsDirectoriesToTheirSlash() {
        assertEquals("<h1>docs</h1>", get("/static/docs/").text());
        Answer redirect = get("/static/docs");
        assertEquals(301, redirect.status());
        assertEquals("/static/docs/", redirect.header("Location"));
        assertEquals(404, get("/static/empty/").status(), "no index and no listing");
    }

    @Test
    void decodesUtf8FileNamesFromNativeStrings() {
        String nativePath = new String("/static/caf\u00e9.txt".getBytes(StandardCharsets.UTF_8),
                StandardCharsets.ISO_8859_1);
        assertEquals("utf-8 name", get(nativePath).text());
    }

    @Test
    void refusesMethodsOtherThanGetAndHead() {
        Answer a = server.connect().send(Requests.head("POST", "/static/app.css", 0)).answer();
        assertEquals(405, a.status());
        assertEquals("GET, HEAD", a.header("Allow"));
        assertNull(a.header("ETag"));
    }
}
