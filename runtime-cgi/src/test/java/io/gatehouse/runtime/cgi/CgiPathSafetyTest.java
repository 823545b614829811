package io.gatehouse.runtime.cgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.testing.Answer;
import io.gatehouse.core.testing.HostilePath;
import io.gatehouse.core.testing.LogCapture;
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

/** No script outside the root runs, whatever PATH_INFO says: hostile spellings get 404, links out of it 403. */
class CgiPathSafetyTest {
    static final String OUTSIDE = "#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\noutside'\n";
    static final String INSIDE = "#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\n%s|%s' \"$PATH_INFO\" "
            + "\"$PATH_TRANSLATED\"\n";

    @TempDir
    Path dir;
    CgiFixture cgi;
    LogCapture log;

    @BeforeEach
    void scripts() throws Exception {
        CgiFixture.script(dir, "sub/ok.sh", INSIDE);
        CgiFixture.script(dir, "../" + HostilePath.SECRET, OUTSIDE);
        CgiFixture.script(dir, "../elsewhere/run.sh", OUTSIDE);
        Path bin = dir.resolve("cgi-bin");
        Files.createSymbolicLink(bin.resolve("link.sh"), dir.resolve(HostilePath.SECRET));
        Files.createSymbolicLink(bin.resolve("linkdir"), dir.resolve("elsewhere"));
        Files.createSymbolicLink(bin.resolve("inside.sh"), bin.resolve("sub/ok.sh"));
        cgi = CgiFixture.start(dir, "");
        log = LogCapture.of(DocumentRoot.class);
    }

    @AfterEach
    void stop() {
        log.close();
        cgi.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.gatehouse.core.testing.HostilePath#all")
    void answers404ToEveryPathThatTriesToLeaveTheRoot(HostilePath path) {
        path.assertRefused(cgi.get(path.pathInfo()), log.warnings(), "c");
    }

    @Test
    void refusesATraversalAfterTheScriptTooForItWouldBecomePathTranslated() {
        assertEquals("/x|" + realBin() + "/x", cgi.get("/sub/ok.sh/x").text());
        assertEquals(404, cgi.get("/sub/ok.sh/../../../etc/passwd").status());
        assertEquals(1, log.warnings().size(), log.toString());
    }

    @Test
    void answers403ToAScriptReachedThroughALinkOutOfTheRoot() {
        for (String path : List.of("/link.sh", "/linkdir/run.sh", "/linkdir/run.sh/more")) {
            Answer a = cgi.get(path);
            assertEquals(403, a.status(), path);
            assertFalse(a.text().contains("outside"), path);
        }
        assertEquals(3, log.warnings().size(), log.toString());
        assertTrue(log.warnings().get(0).endsWith("a symbolic link leads out of the root (follow-symlinks is off); "
                + "answered 403"), log.warnings().get(0));
    }

    @Test
    void runsAScriptReachedThroughALinkInsideTheRoot() {
        assertEquals(200, cgi.get("/inside.sh/p").status());
        assertEquals(List.of(), log.warnings());
    }

    @Test
    void runsScriptsThroughLinksOutOfTheRootWhenAllowed() throws Exception {
        cgi.close();
        cgi = CgiFixture.start(dir, "follow-symlinks: true");
        assertEquals("outside", cgi.get("/link.sh").text());
        assertEquals("outside", cgi.get("/linkdir/run.sh").text());
        assertEquals(404, cgi.get("/../" + HostilePath.SECRET).status(), "a '..' is refused all the same");
    }

    @Test
    void refusesHostilePathsForAnAppOfOneScriptToo() throws Exception {
        cgi.close();
        cgi = CgiFixture.start(dir, "script: cgi-bin/sub/ok.sh");
        assertEquals("/x/y|", cgi.get("/x/y").text());
        assertEquals(404, cgi.get("/../x").status());
        assertEquals(404, cgi.get("/x\0y").status());
        assertEquals(2, log.warnings().size(), log.toString());
    }

    private String realBin() {
        try {
            return dir.resolve("cgi-bin").toRealPath().toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
