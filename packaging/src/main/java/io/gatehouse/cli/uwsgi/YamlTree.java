package io.gatehouse.cli.uwsgi;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A YAML mapping being written, with a comment on any line: keys in the order they were put, values as scalars,
 * nested mappings or lists. Written in block style, as a person writes a config.
 */
final class YamlTree implements YamlNode {

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_/.][A-Za-z0-9_/.:@+,=-]*");
    private static final Pattern NOT_A_STRING = Pattern.compile(
            "[-+]?(\\.?[0-9][0-9_.:]*([eE][-+]?[0-9]+)?|0x[0-9a-fA-F_]+|0o?[0-7_]+|\\.inf|\\.nan)"
            + "|y|n|yes|no|on|off|true|false|null|~");

    private record Entry(String key, YamlNode value, String comment) {
    }

    private final List<Entry> entries = new ArrayList<>();

    /** Adds {@code key} with its value and the comment on its line (null for none). */
    YamlTree put(String key, YamlNode value, String comment) {
        entries.add(new Entry(key, value, comment));
        return this;
    }

    YamlTree put(String key, String string, String comment) {
        return put(key, string(string), comment);
    }

    YamlTree put(String key, long number, String comment) {
        return put(key, new YamlNode.Scalar(Long.toString(number)), comment);
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    boolean has(String key) {
        return entries.stream().anyMatch(e -> e.key().equals(key));
    }

    /** A string as a YAML scalar: plain where YAML reads it back as the same string, else double-quoted. */
    static YamlNode.Scalar string(String s) {
        boolean plain = PLAIN.matcher(s).matches() && !s.endsWith(":")
                && !NOT_A_STRING.matcher(s.toLowerCase(Locale.ROOT)).matches();
        return new YamlNode.Scalar(plain ? s : "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
    }

    /** A literal YAML scalar, such as {@code true} or {@code auto}. */
    static YamlNode.Scalar raw(String text) {
        return new YamlNode.Scalar(text);
    }

    /** The block-style text of this mapping as a document. */
    String write() {
        StringBuilder out = new StringBuilder();
        entries(out, 0, null);
        return out.toString();
    }

    @Override
    public void write(StringBuilder out, String lead, String key, String comment, int indent) {
        YamlNode.line(out, lead + key + ":", comment);
        entries(out, indent + 2, null);
    }

    /** A mapping as a list item: its first key on the dash's line, the comments on the keys' own lines. */
    @Override
    public void item(StringBuilder out, String pad, String comment, int indent) {
        entries(out, indent + 2, pad + "- ");
    }

    /** Writes the entries at {@code indent}; {@code firstLead}, if given, starts the first line (a list's "- "). */
    private void entries(StringBuilder out, int indent, String firstLead) {
        String pad = " ".repeat(indent);
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            e.value().write(out, i == 0 && firstLead != null ? firstLead : pad, e.key(), e.comment(), indent);
        }
    }
}
