package io.gatehouse.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeReaderTest {

    private static final Path FILE = Path.of("conf/a.yaml");

    private final Problems problems = new Problems();

    private MapNode read(String yaml) {
        return NodeReader.read(yaml, FILE, new Interpolator(Map.of()), problems);
    }

    private List<String> errors() {
        return problems.errors().stream().map(ConfigError::toString).toList();
    }

    @Test
    void recordsLineAndColumnOfEveryNodeAndKey() {
        MapNode root = read("""
                master:
                  pidfile: /run/gh.pid
                listeners:
                  - protocol: uwsgi
                    bind: "unix:/run/a.sock"
                """);
        assertEquals(new Location(FILE, 1, 1), root.location());
        MapNode master = (MapNode) root.get("master");
        assertEquals(new Location(FILE, 2, 3), master.location());
        assertEquals(new Location(FILE, 2, 3), master.entry("pidfile").keyLocation());
        assertEquals(new Location(FILE, 2, 12), master.get("pidfile").location());
        ListNode listeners = (ListNode) root.get("listeners");
        assertEquals(new Location(FILE, 4, 3), listeners.location());
        MapNode first = (MapNode) listeners.items().get(0);
        assertEquals(new Location(FILE, 4, 5), first.location());
        assertEquals(new Location(FILE, 5, 11), first.get("bind").location());
        assertEquals("unix:/run/a.sock", ((ScalarNode) first.get("bind")).text());
        assertTrue(problems.isEmpty());
    }

    @Test
    void keepsKeysInWrittenOrder() {
        MapNode root = read("b: 1\na: 2\nc: 3\n");
        assertEquals(List.of("b", "a", "c"), List.copyOf(root.keys()));
    }

    @Test
    void keepsScalarTextAsWrittenSoOctalModesSurvive() {
        MapNode root = read("mode: 0600\nflag: yes\nsize: 1e3\n");
        assertEquals("0600", ((ScalarNode) root.get("mode")).text());
        assertEquals("yes", ((ScalarNode) root.get("flag")).text());
        assertEquals("1e3", ((ScalarNode) root.get("size")).text());
    }

    @Test
    void tellsYamlNullFromEmptyString() {
        MapNode root = read("a:\nb: ~\nc: null\nd: ''\n");
        assertTrue(((ScalarNode) root.get("a")).isNull());
        assertTrue(((ScalarNode) root.get("b")).isNull());
        assertTrue(((ScalarNode) root.get("c")).isNull());
        assertEquals("", ((ScalarNode) root.get("d")).text());
    }

    @Test
    void readsFlowCollectionsWithTheirColumns() {
        MapNode root = read("hosts: [a.example, b.example]\n");
        ListNode hosts = (ListNode) root.get("hosts");
        assertEquals(new Location(FILE, 1, 8), hosts.location());
        assertEquals(new Location(FILE, 1, 20), hosts.items().get(1).location());
    }

    @Test
    void reportsDuplicateKeyAtTheSecondKeyNamingTheFirstLine() {
        read("""
                listeners:
                  - protocol: http
                    bind: :80
                    backlog: 10
                    bind: :81
                """);
        assertEquals(List.of("conf/a.yaml:5:5: listeners[0].bind: duplicate key (first at line 3)"), errors());
    }

    @Test
    void keepsTheFirstValueOfADuplicateKey() {
        MapNode root = read("a: 1\na: 2\n");
        assertEquals("1", ((ScalarNode) root.get("a")).text());
    }

    @Test
    void reportsEveryDuplicateKeyInOneRead() {
        read("a: 1\na: 2\nb:\n  c: 1\n  c: 2\n");
        assertEquals(List.of(
                "conf/a.yaml:2:1: a: duplicate key (first at line 1)",
                "conf/a.yaml:5:3: b.c: duplicate key (first at line 4)"), errors());
    }

    @Test
    void reportsSyntaxErrorOnceAtTheParsersLocation() {
        assertNull(read("a: 1\n  b: 2\n"));
        assertEquals(List.of("conf/a.yaml:2:4: mapping values are not allowed here"), errors());
    }

    @Test
    void reportsTabIndentationAtTheTab() {
        assertNull(read("a: 1\n\tb: 2\n"));
        assertEquals(1, problems.count());
        assertTrue(errors().get(0).startsWith("conf/a.yaml:2:1: "), errors().toString());
        assertTrue(errors().get(0).contains("TAB"), errors().toString());
    }

    @Test
    void namesTheConstructThatWasLeftOpen() {
        assertNull(read("a: [1, 2\n"));
        assertEquals(List.of("conf/a.yaml:2:1: expected ',' or ']', but got <stream end>"
                + " (while parsing a flow sequence at line 1, column 4)"), errors());
    }

    @Test
    void readsAnEmptyFileAsAnEmptyMapping() {
        assertTrue(read("").isEmpty());
        assertTrue(read("# only a comment\n").isEmpty());
        assertTrue(read("---\n").isEmpty());
        assertTrue(problems.isEmpty());
    }

    @Test
    void rejectsATopLevelThatIsNotAMapping() {
        assertNull(read("- a\n- b\n"));
        assertEquals(List.of("conf/a.yaml:1:1: expected a mapping at the top of the file, got a list"), errors());
    }

    @Test
    void rejectsASecondDocument() {
        assertNull(read("a: 1\n---\nb: 2\n"));
        assertEquals(List.of("conf/a.yaml:3:1: a config file holds one YAML document, found a second one"), errors());
    }

    @Test
    void rejectsAliasesInsteadOfReadingTheAnchorName() {
        MapNode root = read("a: &port 8080\nb: *port\n");
        assertEquals(List.of("conf/a.yaml:2:4: b: YAML aliases (*port) are not supported"), errors());
        assertInstanceOf(ScalarNode.class, root.get("b"));
    }
}
