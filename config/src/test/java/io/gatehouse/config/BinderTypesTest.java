package io.gatehouse.config;

import static io.gatehouse.config.TestConfigs.bind;
import static io.gatehouse.config.TestConfigs.bindErrors;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BinderTypesTest {

    enum Style { PLAIN, JSON_LINES }

    /** A custom scalar type: anything with a public static parse(String). */
    static final class Color {
        final String name;

        private Color(String name) {
            this.name = name;
        }

        public static Color parse(String text) {
            if (!text.equals("red") && !text.equals("blue")) {
                throw new IllegalArgumentException("expected red or blue, got '" + text + "'");
            }
            return new Color(text);
        }
    }

    record Inner(int port, String host) { }

    record Scalars(String text, int count, long big, boolean flag, Integer boxed, double ratio, Duration timeout,
            DataSize size, Style style, BindAddress bind, WorkerCount workers, Color color) { }

    record Collections(List<String> hosts, Map<String, String> env, List<Inner> inners, Map<String, Integer> ports,
            Inner inner) { }

    record Raw(ConfigNode any, MapNode map) { }

    record Names(long maxRequests, DataSize reloadOnRss, @Key("wsgi-file") String wsgiFile) { }

    record Defaults(@Default("30s") Duration timeout, @Default("json-lines") Style style, @Default("a") List<String> list,
            @Default("7") int seven, String none, int zero, boolean off, List<String> empty, Map<String, String> noMap) { }

    @Test
    void bindsEveryScalarType() {
        Scalars s = bind("""
                text: hello
                count: -12
                big: 9000000000
                flag: true
                boxed: 5
                ratio: 0.25
                timeout: 500ms
                size: 64KiB
                style: json-lines
                bind: "[::1]:8080"
                workers: auto
                color: red
                """, Scalars.class);
        assertEquals(new Scalars("hello", -12, 9_000_000_000L, true, 5, 0.25, Duration.ofMillis(500),
                DataSize.ofKibibytes(64), Style.JSON_LINES, new BindAddress.Inet("::1", 8080), WorkerCount.AUTO,
                s.color()), s);
        assertEquals("red", s.color().name);
    }

    @Test
    void readsNumbersAndBooleansFromTheirText() {
        Scalars s = bind("text: 123\nflag: FALSE\nstyle: PLAIN\n", Scalars.class);
        assertEquals("123", s.text());
        assertFalse(s.flag());
        assertEquals(Style.PLAIN, s.style());
    }

    @Test
    void reportsEachScalarTypeMistakeWithItsLocation() {
        List<String> errors = bindErrors("""
                count: many
                big: 1.5
                flag: maybe
                ratio: half
                timeout: soon
                size: lots
                style: fancy
                bind: 8080x
                workers: 0
                color: green
                """, Scalars.class);
        assertEquals(List.of(
                "t.yaml:1:8: count: expected an integer, got 'many'",
                "t.yaml:2:6: big: expected an integer, got '1.5'",
                "t.yaml:3:7: flag: expected true or false, got 'maybe'",
                "t.yaml:4:8: ratio: expected a number, got 'half'",
                "t.yaml:5:10: timeout: expected a duration such as 30s, 500ms, 2m, 1h, got 'soon'",
                "t.yaml:6:7: size: expected a size such as 512, 64KiB, 256MiB or 1GB, got 'lots'",
                "t.yaml:7:8: style: expected one of plain, json-lines, got 'fancy'",
                "t.yaml:8:7: bind: expected host:port, [v6]:port, unix:/path, fd:N or systemd:NAME, got '8080x'",
                "t.yaml:9:10: workers: must be at least 1, got 0",
                "t.yaml:10:8: color: expected red or blue, got 'green'"), errors);
    }

    @Test
    void reportsIntegersOutOfRange() {
        assertEquals(List.of("t.yaml:1:8: count: expected an integer from -2147483648 to 2147483647, got '2147483648'"),
                bindErrors("count: 2147483648\n", Scalars.class));
        assertEquals(List.of("t.yaml:1:6: big: expected an integer from -9223372036854775808 to 9223372036854775807,"
                + " got '9223372036854775808'"), bindErrors("big: 9223372036854775808\n", Scalars.class));
    }

    @Test
    void reportsAMappingOrListWhereASingleValueBelongs() {
        assertEquals(List.of(
                "t.yaml:1:7: text: expected a string, got a list",
                "t.yaml:3:3: count: expected an integer, got a mapping",
                "t.yaml:4:7: bind: expected a bind address, got a list"),
                bindErrors("text: [a]\ncount:\n  a: 1\nbind: []\n", Scalars.class));
    }

    @Test
    void bindsListsMapsAndNestedRecords() {
        Collections c = bind("""
                hosts: [a.example, b.example]
                env: {LANG: C.UTF-8, TZ: UTC}
                inners:
                  - {port: 1, host: x}
                  - port: 2
                ports: {http: 80}
                inner: {port: 3}
                """, Collections.class);
        assertEquals(List.of("a.example", "b.example"), c.hosts());
        assertEquals(Map.of("LANG", "C.UTF-8", "TZ", "UTC"), c.env());
        assertEquals(List.of("LANG", "TZ"), List.copyOf(c.env().keySet()));
        assertEquals(List.of(new Inner(1, "x"), new Inner(2, null)), c.inners());
        assertEquals(Map.of("http", 80), c.ports());
        assertEquals(new Inner(3, null), c.inner());
    }

    @Test
    void acceptsASingleScalarAsAOneItemList() {
        assertEquals(List.of("example.com"), bind("hosts: example.com\n", Collections.class).hosts());
    }

    @Test
    void reportsCollectionShapeMistakes() {
        assertEquals(List.of(
                "t.yaml:2:3: hosts: expected a list",
                "t.yaml:3:6: env: expected a mapping",
                "t.yaml:4:8: inner: expected a mapping",
                "t.yaml:5:10: inners[0]: expected a mapping"),
                bindErrors("hosts:\n  a: b\nenv: [x]\ninner: 5\ninners: [x]\n", Collections.class));
    }

    @Test
    void namesListIndexesAndMapKeysInPaths() {
        assertEquals(List.of(
                "t.yaml:3:11: inners[1].port: expected an integer, got 'x'",
                "t.yaml:4:15: ports.http: expected an integer, got 'eighty'"),
                bindErrors("inners:\n  - port: 1\n  - port: x\nports: {http: eighty}\n", Collections.class));
    }

    @Test
    void reportsANullListItem() {
        assertEquals(List.of("t.yaml:1:12: hosts[1]: expected a string, got null"),
                bindErrors("hosts: [a, ~]\n", Collections.class));
    }

    @Test
    void handsOverRawNodes() {
        Raw raw = bind("any: [1, 2]\nmap: {a: b}\n", Raw.class);
        assertInstanceOf(ListNode.class, raw.any());
        assertEquals(new Location(Path.of("t.yaml"), 2, 6), raw.map().location());
        assertEquals(List.of("t.yaml:1:6: map: expected a mapping"), bindErrors("map: x\n", Raw.class));
    }

    @Test
    void usesKebabCaseKeysAndKeyOverrides() {
        Names names = bind("max-requests: 5000\nreload-on-rss: 256M\nwsgi-file: app.py\n", Names.class);
        assertEquals(new Names(5000, DataSize.ofMebibytes(256), "app.py"), names);
    }

    @Test
    void convertsComponentNamesToKebabCase() {
        assertEquals("max-requests", KeyNames.kebab("maxRequests"));
        assertEquals("reload-on-rss", KeyNames.kebab("reloadOnRss"));
        assertEquals("io-threads", KeyNames.kebab("ioThreads"));
        assertEquals("http2-enabled", KeyNames.kebab("http2Enabled"));
        assertEquals("http-url-path", KeyNames.kebab("httpURLPath"));
        assertEquals("name", KeyNames.kebab("name"));
        assertEquals("json-lines", KeyNames.enumKey(Style.JSON_LINES));
    }

    @Test
    void appliesDefaultsAsIfWrittenInYaml() {
        Defaults d = bind("{}", Defaults.class);
        assertEquals(new Defaults(Duration.ofSeconds(30), Style.JSON_LINES, List.of("a"), 7, null, 0, false, List.of(),
                Map.of()), d);
    }

    @Test
    void treatsANullValueAsAbsent() {
        Defaults d = bind("timeout:\nseven: ~\n", Defaults.class);
        assertEquals(Duration.ofSeconds(30), d.timeout());
        assertEquals(7, d.seven());
    }

    @Test
    void bindsScalarsThroughThePublicEntryToo() {
        Problems problems = new Problems();
        ScalarNode node = new ScalarNode("2m", new Location(Path.of("x.yaml"), 1, 1));
        assertEquals(Duration.ofMinutes(2), Binder.bind(node, Duration.class, "t", problems));
        assertNull(Binder.bind(node, Integer.class, "t", problems));
        assertEquals(List.of(new ConfigError(node.location(), "t", "expected an integer, got '2m'")), problems.errors());
        assertNull(Binder.bind(node, int.class, "t", new Problems()));
    }
}
