package io.gatehouse.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.snakeyaml.error.Mark;
import com.fasterxml.jackson.dataformat.yaml.snakeyaml.error.MarkedYAMLException;
import java.nio.file.Path;

/** Turns a YAML syntax error into one problem at the place the YAML parser blames. */
final class YamlSyntax {

    private YamlSyntax() {
    }

    // Jackson's wrapper is the only way to reach the problem mark without depending on SnakeYAML directly;
    // the exception's own location is often the last good token, not the offending character.
    @SuppressWarnings("deprecation")
    static void report(JsonProcessingException e, Path file, Problems problems) {
        if (e instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
            Mark mark = marked.getProblemMark();
            String message = marked.getProblem();
            Mark context = marked.getContextMark();
            if (marked.getContext() != null) {
                boolean elsewhere = context != null
                        && (context.getLine() != mark.getLine() || context.getColumn() != mark.getColumn());
                message += " (" + marked.getContext() + (elsewhere
                        ? " at line " + (context.getLine() + 1) + ", column " + (context.getColumn() + 1) : "") + ")";
            }
            problems.add(new Location(file, mark.getLine() + 1, mark.getColumn() + 1), "", message);
            return;
        }
        JsonLocation at = e.getLocation();
        Location location = at == null || at.getLineNr() < 1
                ? Location.ofFile(file)
                : new Location(file, at.getLineNr(), Math.max(at.getColumnNr(), 1));
        String message = e.getOriginalMessage();
        int newline = message.indexOf('\n');
        problems.add(location, "", newline < 0 ? message : message.substring(0, newline));
    }
}
