package io.gatehouse.config;

import static io.gatehouse.config.TestConfigs.bind;
import static io.gatehouse.config.TestConfigs.bindErrors;
import static io.gatehouse.config.TestConfigs.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BinderChecksTest {

    record Listener(@Required String protocol, @Required BindAddress bind, @Default("1024") @Min(1) int backlog) { }

    record Limits(@Min(1) @Max(65535) int port, @Min(0) long count, @Min(1000) @Max(60000) Duration timeout,
            @Max(1048576) DataSize size) { }

    record Open(@Origin Location origin, @Required String protocol, @Rest OptionKeys options) { }

    record Mounted(String name, String mount, int threads) {
        Mounted {
            if (mount != null && !mount.startsWith("/")) {
                throw new ConfigValueException("mount", "must start with '/', got '" + mount + "'");
            }
            if ("admin".equals(name) && threads > 1) {
                throw new IllegalArgumentException("the admin app runs one thread");
            }
        }
    }

    record Fragile(@Required String name, int threads) {
        Fragile {
            if (name.isEmpty()) { // throws NullPointerException on the placeholder for a missing name
                throw new IllegalArgumentException("empty");
            }
        }
    }

    record Unsupported(Set<String> names) { }

    record BoundedText(@Min(1) String text) { }

    record WrongRest(@Rest String rest) { }

    record WrongOrigin(@Origin String origin) { }

    record BareLocation(Location where) { }

    record BadDefault(@Default("soon") Duration timeout) { }

    @Test
    void reportsAMissingRequiredKeyAtTheMapping() {
        Problems problems = new Problems();
        ConfigNode first = ((ListNode) tree("name: x\nlisteners:\n  - bind: :80\n").get("listeners")).items().get(0);
        Binder.bind(first, Listener.class, "listeners[0]", problems);
        assertEquals(List.of(new ConfigError(new Location(Path.of("t.yaml"), 3, 5), "listeners[0]",
                "missing required key 'protocol'")), problems.errors());
        assertEquals("t.yaml:3:5: listeners[0]: missing required key 'protocol'", problems.errors().get(0).toString());
    }

    @Test
    void reportsEveryMissingRequiredKey() {
        assertEquals(List.of("t.yaml:1:1: missing required key 'bind'", "t.yaml:1:1: missing required key 'protocol'"),
                bindErrors("backlog: 5\n", Listener.class));
    }

    @Test
    void treatsAnEmptyRequiredValueAsMissing() {
        assertEquals(List.of("t.yaml:1:1: missing required key 'protocol'"),
                bindErrors("protocol:\nbind: :80\n", Listener.class));
    }

    @Test
    void acceptsValuesAtTheirBounds() {
        Limits limits = bind("port: 1\ncount: 0\ntimeout: 1s\nsize: 1MiB\n", Limits.class);
        assertEquals(new Limits(1, 0, Duration.ofSeconds(1), DataSize.ofMebibytes(1)), limits);
        assertEquals(65535, bind("port: 65535\ntimeout: 60s\n", Limits.class).port());
    }

    @Test
    void rejectsIntegersJustPastTheirBounds() {
        assertEquals(List.of("t.yaml:1:7: port: must be at least 1, got 0"), bindErrors("port: 0\n", Limits.class));
        assertEquals(List.of("t.yaml:1:7: port: must be at most 65535, got 65536"),
                bindErrors("port: 65536\n", Limits.class));
        assertEquals(List.of("t.yaml:1:8: count: must be at least 0, got -1"), bindErrors("count: -1\n", Limits.class));
    }

    @Test
    void rejectsDurationsAndSizesPastTheirBoundsInTheirOwnUnits() {
        assertEquals(List.of("t.yaml:1:10: timeout: must be at least 1s, got 999ms"),
                bindErrors("timeout: 999ms\n", Limits.class));
        assertEquals(List.of("t.yaml:1:10: timeout: must be at most 1m, got 60001ms"),
                bindErrors("timeout: 60001ms\n", Limits.class));
        assertEquals(List.of("t.yaml:1:7: size: must be at most 1MiB, got 1048577B"),
                bindErrors("size: 1048577\n", Limits.class));
    }

    @Test
    void suggestsTheClosestKnownKey() {
        assertEquals(List.of("t.yaml:2:1: prtocol: unknown key (did you mean 'protocol'?)"),
                bindErrors("bind: :80\nprtocol: http\nprotocol: http\n", Listener.class));
    }

    @Test
    void suggestsKebabKeysForCamelAndSnakeSpellings() {
        assertEquals(List.of("t.yaml:1:1: Backlog: unknown key (did you mean 'backlog'?)"),
                bindErrors("Backlog: 5\nprotocol: a\nbind: :1\n", Listener.class));
        record Pool(long maxRequests) { }
        assertEquals(List.of("t.yaml:1:1: max_requests: unknown key (did you mean 'max-requests'?)"),
                bindErrors("max_requests: 5\n", Pool.class));
        assertEquals(List.of("t.yaml:1:1: maxRequests: unknown key (did you mean 'max-requests'?)"),
                bindErrors("maxRequests: 5\n", Pool.class));
    }

    @Test
    void suggestsNothingWhenNoKeyIsClose() {
        assertEquals(List.of("t.yaml:1:1: colour: unknown key"),
                bindErrors("colour: red\nprotocol: a\nbind: :1\n", Listener.class));
    }

    @Test
    void allowsMoreEditsForLongKeys() {
        assertEquals(" (did you mean 'shutdown-timeout'?)",
                KeySuggestion.didYouMean("shutdwn-timot", List.of("shutdown-timeout", "reload")));
        assertEquals("", KeySuggestion.didYouMean("ab", List.of("abcde")));
        assertEquals("", KeySuggestion.didYouMean("abc", List.of("xyz")));
        assertEquals(" (did you mean 'bind'?)", KeySuggestion.didYouMean("bnd", List.of("bind", "backlog")));
    }

    @Test
    void givesRestKeysToTheRestComponentWithTheirLocations() {
        Open open = bind("protocol: ajp\nsecret: s3cret\npacket-size: 8192\n", Open.class);
        assertEquals(List.of("secret", "packet-size"), List.copyOf(open.options().node().keys()));
        assertEquals(new Location(Path.of("t.yaml"), 2, 1), open.options().node().entry("secret").keyLocation());
        assertEquals(new Location(Path.of("t.yaml"), 3, 14), open.options().node().get("packet-size").location());
    }

    @Test
    void suggestsTheOwnersKeysWhenRestKeysAreBoundLater() {
        record HttpOptions(int maxHeaderBytes) { }
        Open open = bind("protocol: http\nprtocol: http\nmax-header-byte: 1\n", Open.class);
        Problems problems = new Problems();
        Binder.bind(open.options().node(), HttpOptions.class, "listeners[0]", problems);
        assertEquals(List.of(
                "t.yaml:2:1: listeners[0].prtocol: unknown key (did you mean 'protocol'?)",
                "t.yaml:3:1: listeners[0].max-header-byte: unknown key (did you mean 'max-header-bytes'?)"),
                problems.errors().stream().map(ConfigError::toString).toList());
    }

    @Test
    void givesAnEmptyRestMappingWhenThereAreNoExtraKeys() {
        Open open = bind("protocol: http\n", Open.class);
        assertTrue(open.options().isEmpty());
        assertEquals(open.origin(), open.options().node().location());
    }

    @Test
    void givesTheOriginComponentTheMappingsLocation() {
        MapNode root = tree("listeners:\n  - protocol: http\n");
        Open open = Binder.bind(((ListNode) root.get("listeners")).items().get(0), Open.class, "listeners[0]",
                new Problems());
        assertEquals(new Location(Path.of("t.yaml"), 2, 5), open.origin());
    }

    @Test
    void reportsAConstructorRejectionAtTheMapping() {
        assertEquals(List.of("t.yaml:1:1: the admin app runs one thread"),
                bindErrors("name: admin\nthreads: 4\n", Mounted.class));
    }

    @Test
    void reportsAConstructorRejectionOfOneKeyAtThatValue() {
        assertEquals(List.of("t.yaml:2:8: mount: must start with '/', got 'api'"),
                bindErrors("name: x\nmount: api\n", Mounted.class));
    }

    @Test
    void reportsConstructorRejectionsBesideOtherMistakes() {
        assertEquals(List.of("t.yaml:1:10: threads: expected an integer, got 'x'",
                "t.yaml:2:8: mount: must start with '/', got 'api'"),
                bindErrors("threads: x\nmount: api\n", Mounted.class));
    }

    @Test
    void doesNotRepeatAMistakeAsAConstructorFailure() {
        assertEquals(List.of("t.yaml:1:1: missing required key 'name'"), bindErrors("threads: 2\n", Fragile.class));
    }

    @Test
    void reportsEveryMistakeOfOneBindAndReturnsABestEffortValue() {
        Problems problems = new Problems();
        Listener listener = Binder.bind(tree("protocol: http\nbind: nowhere\nbacklog: 0\nextra: 1\n"),
                Listener.class, "listeners[0]", problems);
        assertEquals(3, problems.count());
        assertNotNull(listener);
        assertEquals(1024, listener.backlog());
        assertNull(listener.bind());
    }

    @Test
    void failsFastOnModelMistakes() {
        Problems problems = new Problems();
        MapNode empty = tree("{}");
        assertThrows(IllegalArgumentException.class, () -> Binder.bind(empty, Unsupported.class, "", problems));
        assertThrows(IllegalArgumentException.class, () -> Binder.bind(empty, BoundedText.class, "", problems));
        assertThrows(IllegalArgumentException.class, () -> Binder.bind(empty, WrongRest.class, "", problems));
        assertThrows(IllegalArgumentException.class, () -> Binder.bind(empty, WrongOrigin.class, "", problems));
        assertThrows(IllegalArgumentException.class, () -> Binder.bind(empty, BareLocation.class, "", problems));
        assertThrows(IllegalArgumentException.class, () -> Binder.bind(empty, BadDefault.class, "", problems));
        assertTrue(problems.isEmpty());
    }

    @Test
    void buildsAllDefaultRecords() {
        MasterConfig master = Binder.defaults(MasterConfig.class);
        assertEquals(Duration.ofSeconds(30), master.shutdownTimeout());
        assertEquals("0600", master.controlSocketMode());
        assertThrows(IllegalArgumentException.class, () -> Binder.defaults(Listener.class));
    }
}
