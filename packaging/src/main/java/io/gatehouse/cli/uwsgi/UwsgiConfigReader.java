package io.gatehouse.cli.uwsgi;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads a uWSGI config as uWSGI does: an ini file ({@code [section]}, {@code key = value}, whole-line {@code ;} and
 * {@code #} comments, repeated keys) or a YAML (or JSON) one (the section's mapping, a list for a repeated key),
 * with the magic variables replaced, and the files its {@code ini}, {@code yaml}, {@code inherit} and
 * {@code include} options name read in their place. Placeholders are left to {@link UwsgiPlaceholders}.
 */
public final class UwsgiConfigReader {

    private static final Set<String> INCLUDES = Set.of("ini", "yaml", "yml", "json", "inherit", "include");
    private static final int MAX_DEPTH = 10;
    private static final YAMLFactory YAML = new YAMLFactory();

    private UwsgiConfigReader() {
    }

    /** The options of {@code section} in {@code file}, in the order uWSGI reads them. */
    public static List<UwsgiOption> read(Path file, String section) {
        List<UwsgiOption> out = new ArrayList<>();
        read(file, section, out, 0);
        return out;
    }

    private static void read(Path file, String section, List<UwsgiOption> out, int depth) {
        if (depth > MAX_DEPTH) {
            throw new UwsgiFormatException(file, 0, "includes nested more than " + MAX_DEPTH + " deep (a cycle?)");
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UwsgiFormatException(file, 0, "cannot read: " + e.getMessage());
        }
        text = UwsgiMagic.expand(text, file, section);
        List<UwsgiOption> options = isIni(file, text) ? ini(text, file, section) : yaml(text, file, section);
        if (options.isEmpty() && depth == 0) {
            throw new UwsgiFormatException(file, 0, "no [" + section + "] section, or it is empty");
        }
        for (UwsgiOption o : options) {
            if (INCLUDES.contains(o.name())) {
                included(o, section, out, depth);
            } else {
                out.add(o);
            }
        }
    }

    /** {@code ini = base.ini} or {@code inherit = base.ini:other}: that file's options, here. */
    private static void included(UwsgiOption o, String section, List<UwsgiOption> out, int depth) {
        String name = o.value();
        String wanted = section;
        int colon = name.lastIndexOf(':');
        if (colon > 0 && colon < name.length() - 1 && name.indexOf('/', colon) < 0) {
            wanted = name.substring(colon + 1);
            name = name.substring(0, colon);
        }
        Path target = Path.of(name);
        if (!target.isAbsolute() && o.file().toAbsolutePath().getParent() != null) {
            target = o.file().toAbsolutePath().getParent().resolve(target);
        }
        read(target, wanted, out, depth + 1);
    }

    private static boolean isIni(Path file, String text) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".ini")) {
            return true;
        }
        if (name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json")) {
            return false;
        }
        return text.stripLeading().startsWith("[");
    }

    private static List<UwsgiOption> ini(String text, Path file, String section) {
        List<UwsgiOption> out = new ArrayList<>();
        String current = "";
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith(";") || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("[")) {
                if (!line.endsWith("]")) {
                    throw new UwsgiFormatException(file, i + 1, "a section header needs its ']': " + line);
                }
                current = line.substring(1, line.length() - 1).strip();
                continue;
            }
            if (current.equals(section)) {
                int eq = line.indexOf('=');
                String key = (eq < 0 ? line : line.substring(0, eq)).strip();
                String value = eq < 0 ? "" : line.substring(eq + 1).strip();
                out.add(new UwsgiOption(key, value, file, i + 1));
            }
        }
        return out;
    }

    private static List<UwsgiOption> yaml(String text, Path file, String section) {
        List<UwsgiOption> out = new ArrayList<>();
        try (JsonParser p = YAML.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new UwsgiFormatException(file, line(p), "expected a mapping with a '" + section + "' key");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (!name.equals(section)) {
                    p.skipChildren();
                } else if (value != JsonToken.START_OBJECT) {
                    throw new UwsgiFormatException(file, line(p), "'" + section + "' must hold a mapping of options");
                } else {
                    options(p, file, out);
                }
            }
        } catch (IOException e) {
            throw new UwsgiFormatException(file, 0, "not valid YAML: " + e.getMessage().lines().findFirst()
                    .orElse(""));
        }
        return out;
    }

    /** A section's options; a key with a list is the option repeated, once per item. */
    private static void options(JsonParser p, Path file, List<UwsgiOption> out) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken token = p.nextToken();
            if (token == JsonToken.START_ARRAY) {
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    out.add(new UwsgiOption(name, scalar(p, file, name), file, line(p)));
                }
            } else {
                out.add(new UwsgiOption(name, scalar(p, file, name), file, line(p)));
            }
        }
    }

    private static String scalar(JsonParser p, Path file, String name) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
            throw new UwsgiFormatException(file, line(p), "'" + name + "' holds a " + (t == JsonToken.START_OBJECT
                    ? "mapping" : "nested list") + "; a uWSGI option takes a value or a list of values");
        }
        return t == JsonToken.VALUE_NULL ? "" : p.getText().strip();
    }

    private static int line(JsonParser p) {
        return p.currentTokenLocation().getLineNr();
    }
}
