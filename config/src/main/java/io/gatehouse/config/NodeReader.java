package io.gatehouse.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Streams one YAML document into a {@link ConfigNode} tree, interpolating scalars and reporting duplicate keys. */
final class NodeReader {

    private static final YAMLFactory YAML = new YAMLFactory();

    private final Path file;
    private final Interpolator interpolator;
    private final Problems problems;
    private JsonParser parser;

    private NodeReader(Path file, Interpolator interpolator, Problems problems) {
        this.file = file;
        this.interpolator = interpolator;
        this.problems = problems;
    }

    /** The document's top-level mapping, or null when the text is not usable YAML (the reason is recorded). */
    static MapNode read(String text, Path file, Interpolator interpolator, Problems problems) {
        return new NodeReader(file, interpolator, problems).readDocument(text);
    }

    private MapNode readDocument(String text) {
        try (JsonParser p = YAML.createParser(text)) {
            parser = p;
            JsonToken token = parser.nextToken();
            if (token == null) {
                return MapNode.empty(new Location(file, 1, 1));
            }
            ConfigNode root = readValue(token, "");
            if (parser.nextToken() != null) {
                problems.add(here(), "", "a config file holds one YAML document, found a second one");
                return null;
            }
            if (root instanceof ScalarNode scalar && scalar.isNull()) {
                return MapNode.empty(root.location());
            }
            if (!(root instanceof MapNode map)) {
                problems.add(root.location(), "", "expected a mapping at the top of the file, got " + root.describe());
                return null;
            }
            return map;
        } catch (JsonProcessingException e) {
            YamlSyntax.report(e, file, problems);
            return null;
        } catch (IOException e) {
            // Parsing from a String does no I/O; this would be a Jackson bug.
            throw new UncheckedIOException(e);
        }
    }

    private ConfigNode readValue(JsonToken token, String path) throws IOException {
        Location location = here();
        if (token == JsonToken.START_OBJECT) {
            return readMapping(location, path);
        }
        if (token == JsonToken.START_ARRAY) {
            List<ConfigNode> items = new ArrayList<>();
            for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
                items.add(readValue(t, KeyPath.index(path, items.size())));
            }
            return new ListNode(items, location);
        }
        if (token == JsonToken.VALUE_NULL) {
            return new ScalarNode(null, location);
        }
        if (((YAMLParser) parser).isCurrentAlias()) {
            // Jackson hands an alias over as its anchor's name, not its value: refuse rather than mislead.
            problems.add(location, path, "YAML aliases (*" + parser.getText() + ") are not supported");
            return new ScalarNode(null, location);
        }
        return new ScalarNode(interpolator.expand(parser.getText(), location, path, problems), location);
    }

    private MapNode readMapping(Location location, String path) throws IOException {
        Map<String, MapNode.Entry> entries = new LinkedHashMap<>();
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
            String key = parser.currentName();
            Location keyLocation = here();
            String keyPath = KeyPath.child(path, key);
            ConfigNode value = readValue(parser.nextToken(), keyPath);
            MapNode.Entry first = entries.get(key);
            if (first != null) {
                problems.add(keyLocation, keyPath, "duplicate key (first at line " + first.keyLocation().line() + ")");
            } else {
                entries.put(key, new MapNode.Entry(key, keyLocation, value));
            }
        }
        return new MapNode(List.copyOf(entries.values()), location);
    }

    private Location here() {
        JsonLocation at = parser.currentTokenLocation();
        return new Location(file, Math.max(at.getLineNr(), 1), Math.max(at.getColumnNr(), 1));
    }
}
