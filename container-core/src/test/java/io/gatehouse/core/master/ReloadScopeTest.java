package io.gatehouse.core.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.protocol.ProtocolCatalog;
import io.gatehouse.core.runtime.RuntimeCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which apps a reload replaces though their config did not change, and how waiting requests combine. */
class ReloadScopeTest {
    @TempDir
    Path dir;

    ResolvedConfig config() throws Exception {
        Path file = dir.resolve("g.yaml");
        Files.writeString(file, """
                listeners: [{protocol: http, bind: '127.0.0.1:8080'}]
                apps:
                  - {name: py, runtime: jvm, mount: /py}
                  - {name: files, runtime: static, mount: /files}
                  - {name: other, runtime: jvm, mount: /other}
                """);
        return ResolvedConfig.load(file, ProtocolCatalog.of(new ReloadPlanTest.PlainProtocol()),
                RuntimeCatalog.of(StubRuntime.withCode(), StubRuntime.withoutCode()));
    }

    static final Set<String> RUNNING = Set.of("py", "files", "other");

    @Test
    void everythingReplacesEveryRunningAppWithCodeAndNoStaticOne() throws Exception {
        assertEquals(Map.of("py", "new code", "other", "new code"),
                ReloadScope.everything().force(config(), RUNNING));
        assertEquals(Map.of("py", "new code"), ReloadScope.everything().force(config(), Set.of("py", "files")),
                "an app the reload adds starts anyway");
    }

    @Test
    void configOnlyReplacesNothingTheConfigDidNotChange() throws Exception {
        assertEquals(Map.of(), ReloadScope.configOnly().force(config(), RUNNING));
    }

    @Test
    void appsNamedTouchedOrDeclaredInAChangedFileAreReplacedWithWhy() throws Exception {
        assertEquals(Map.of("files", "asked for"), ReloadScope.apps(Set.of("files")).force(config(), RUNNING),
                "asked for by name, even without code");
        assertEquals(Map.of("py", "touched /srv/py/reload"),
                ReloadScope.touched("py", "touched /srv/py/reload").force(config(), RUNNING));
        assertEquals(Map.of("py", "g.yaml changed", "files", "g.yaml changed", "other", "g.yaml changed"),
                ReloadScope.files(Set.of(dir.resolve("g.yaml"))).force(config(), RUNNING));
    }

    @Test
    void requestsThatWaitTogetherCoverAllTheyAsked() {
        ReloadScope merged = ReloadScope.merged(List.of(ReloadScope.apps(Set.of("a")),
                ReloadScope.touched("b", "touched x"), ReloadScope.files(Set.of(Path.of("f.yaml")))));
        assertEquals(new ReloadScope(false, false, Set.of("a"), Map.of("b", "touched x"), Set.of(Path.of("f.yaml"))),
                merged);
        assertTrue(merged.readsMain(), "the apps named are looked up in the config as it is now");
        assertFalse(ReloadScope.touched("b", "x").readsMain());
        ReloadScope all = merged.with(ReloadScope.configOnly());
        assertTrue(all.whole() && !all.code());
        assertTrue(all.with(ReloadScope.everything()).code());
    }

    @Test
    void thePlanSaysWhyAnUnchangedAppIsReplaced() throws Exception {
        ResolvedConfig c = config();
        ReloadPlan p = ReloadPlan.between(Map.of("py", c.app("py"), "files", c.app("files"), "other",
                c.app("other")), c.listeners(), c, ReloadScope.everything().force(c, RUNNING));
        assertEquals(List.of("py (new code)", "other (new code)"), p.replaced().stream()
                .map(x -> x.after().config().name() + " (" + x.what() + ")").toList());
        assertEquals(List.of("files"), p.unchanged());
        assertEquals("replaced: py (new code), other (new code); unchanged: files", p.summary());
    }
}
