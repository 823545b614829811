package io.gatehouse.runtime.statics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.testing.Answer;
import io.gatehouse.core.testing.HostilePath;
import io.gatehouse.core.testing.LocalExchangeServer;
import io.gatehouse.core.testing.LogCapture;
import io.gatehouse.core.testing.Requests;
import io.gatehouse.spi.exchange.EnvironHead;
import io.gatehouse.spi.runtime.DocumentRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** No request path leaves the root: hostile spellings get 404, links out of it 403, each refusal one log line. */
class StaticPathSafetyTest {
    @TempDir
    Path dir;
    Path root;
    LocalExchangeServer server;
    LogCapture log;

    @BeforeEach
    void files() throws Exception {
        root = Files.createDirectories(dir.resolve("public"));
        Files.writeString(root.resolve("app.css"), "body{}");
        Files.createDirectories(root.resolve("sub"));
        Files.writeString(root.resolve("sub/index.html"), "<h1>sub</h1>");
        Files.writeString(dir.resolve(HostilePath.SECRET), "outside");
        Files.createDirectories(dir.resolve("elsewhere"));
        Files.writeString(dir.resolve("elsewhere/index.html"), "outside");
        Files.createSymbolicLink(root.resolve("link.txt"), dir.resolve(HostilePath.SECRET));
        Files.createSymbolicLink(root.resolve("linkdir"), dir.resolve("elsewhere"));
        Files.createSymbolicLink(root.resolve("inside.css"), root.resolve("app.css"));
        Files.createSymbolicLink(root.resolve("sub/up.css"), Path.of("../app.css"));
        server = serve(false);
        log = LogCapture.of(DocumentRoot.class);
    }

    @AfterEach
    void stop() {
        log.close();
        server.close();
    }

    LocalExchangeServer serve(boolean followSymlinks) throws Exception {
        return StaticRuntimeTest.serve(dir, root, "    follow-symlinks: " + followSymlinks + "\n");
    }

    Answer get(String pathInfo) {
        EnvironHead h = Requests.get("/static/");
        h.environ().put("SCRIPT_NAME", "/static");
        h.environ().put("PATH_INFO", pathInfo);
        return server.connect().send(h).answer();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.gatehouse.core.testing.HostilePath#all")
    void answers404ToEveryPathThatTriesToLeaveTheRoot(HostilePath path) {
        path.assertRefused(get(path.pathInfo()), log.warnings(), "s");
    }

    @Test
    void answers403ToALinkOutOfTheRootAndToAFileThroughALinkedDirectory() {
        for (String path : List.of("/link.txt", "/linkdir/index.html", "/linkdir/")) {
            Answer a = get(path);
            assertEquals(403, a.status(), path);
            assertFalse(a.text().contains("outside"), path);
        }
        assertEquals(3, log.warnings().size(), log.toString());
        assertTrue(log.warnings().get(0).endsWith(": a symbolic link leads out of the root (follow-symlinks is off); "
                + "answered 403"), log.warnings().get(0));
    }

    @Test
    void followsLinksThatStayInside() {
        assertEquals("body{}", get("/inside.css").text());
        assertEquals("body{}", get("/sub/up.css").text());
        assertEquals(List.of(), log.warnings());
    }

    @Test
    void followsLinksOutOfTheRootWhenAllowed() throws Exception {
        server.close();
        server = serve(true);
        assertEquals("outside", get("/link.txt").text());
        assertEquals("outside", get("/linkdir/").text());
        assertEquals(404, get("/../secret.txt").status(), "a '..' is refused all the same");
    }

    @Test
    void redirectsADirectoryWithoutLettingItsNameOrTheQueryIntoTheHead() throws Exception {
        Files.createDirectories(root.resolve("a\r\nX-Injected: yes"));
        EnvironHead h = Requests.get("/static/");
        h.environ().put("SCRIPT_NAME", "/static");
        h.environ().put("PATH_INFO", "/a\r\nX-Injected: yes");
        h.environ().put("QUERY_STRING", "q=1\r\nX-Injected: yes#");
        Answer a = server.connect().send(h).answer();
        assertEquals(301, a.status());
        assertEquals("/static/a%0D%0AX-Injected:%20yes/?q=1%0D%0AX-Injected:%20yes%23", a.header("Location"));
        assertEquals(List.of(), log.warnings());
    }

    @Test
    void encodesWhatAUriCannotHold() {
        assertEquals("/a%25b%3Fc%23d/caf%C3%A9%20", StaticFiles.encode("/a%b?c#d/caf\u00c3\u00a9 ", true));
        assertEquals("a=1&b=%2F%23%7F", StaticFiles.encode("a=1&b=%2F#\u007f", false));
        assertEquals("/plain/path", StaticFiles.encode("/plain/path", true));
    }
}
