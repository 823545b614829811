package io.gatehouse.cli.uwsgi;

import java.util.List;

/** A value in a YAML document being written: it writes itself after its key, or as a list item. */
interface YamlNode {

    /** The column comments start at, where the line leaves room. */
    int COMMENT_COLUMN = 40;

    /** Writes {@code key: value} on a line starting with {@code lead}, then whatever the value needs below it. */
    void write(StringBuilder out, String lead, String key, String comment, int indent);

    /** Writes this value as an item of a list whose dashes stand at {@code pad}. */
    void item(StringBuilder out, String pad, String comment, int indent);

    /** A scalar in its YAML form. */
    record Scalar(String text) implements YamlNode {
        @Override
        public void write(StringBuilder out, String lead, String key, String comment, int indent) {
            line(out, lead + key + ": " + text, comment);
        }

        @Override
        public void item(StringBuilder out, String pad, String comment, int indent) {
            line(out, pad + "- " + text, comment);
        }
    }

    /** A block list; each item a scalar or a mapping, with its own comment. */
    record Seq(List<Item> items) implements YamlNode {
        @Override
        public void write(StringBuilder out, String lead, String key, String comment, int indent) {
            line(out, lead + key + ":", comment);
            String pad = " ".repeat(indent + 2);
            for (Item item : items) {
                item.value().item(out, pad, item.comment(), indent + 2);
            }
        }

        @Override
        public void item(StringBuilder out, String pad, String comment, int indent) {
            throw new UnsupportedOperationException("Gatehouse's config has no list of lists");
        }
    }

    /** One list item and the comment on its line. */
    record Item(YamlNode value, String comment) {
    }

    /** Writes one line, with its comment (if any) aligned to {@link #COMMENT_COLUMN}. */
    static void line(StringBuilder out, String text, String comment) {
        out.append(text);
        if (comment != null && !comment.isEmpty()) {
            out.append(" ".repeat(Math.max(2, COMMENT_COLUMN - text.length()))).append("# ").append(comment);
        }
        out.append('\n');
    }
}
