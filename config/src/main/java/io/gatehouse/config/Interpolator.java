package io.gatehouse.config;

import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/** Expands {@code ${VAR}}, {@code ${VAR:-default}} and {@code $$} in scalar values from a given environment. */
final class Interpolator {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final Map<String, String> env;

    Interpolator(Map<String, String> env) {
        this.env = Objects.requireNonNull(env, "env");
    }

    /** The expanded text; each unset variable without a default is recorded as a problem at the scalar. */
    String expand(String text, Location location, String path, Problems problems) {
        if (text.indexOf('$') < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            char next = i + 1 < text.length() ? text.charAt(i + 1) : 0;
            if (c == '$' && next == '$') {
                out.append('$');
                i += 2;
            } else if (c == '$' && next == '{') {
                int close = text.indexOf('}', i + 2);
                if (close < 0) {
                    problems.add(location, path, "unterminated ${ in '" + text + "' (write $$ for a literal $)");
                    return out.append(text, i, text.length()).toString();
                }
                out.append(lookUp(text.substring(i + 2, close), location, path, problems));
                i = close + 1;
            } else {
                // A lone '$' (as in a regex "^/api$") is left alone; only "${" and "$$" are special.
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private String lookUp(String reference, Location location, String path, Problems problems) {
        int split = reference.indexOf(":-");
        String name = split < 0 ? reference : reference.substring(0, split);
        String fallback = split < 0 ? null : reference.substring(split + 2);
        if (!NAME.matcher(name).matches()) {
            problems.add(location, path, "invalid environment variable name '" + name + "' in ${" + reference + "}");
            return "";
        }
        String value = env.get(name);
        if (fallback != null && (value == null || value.isEmpty())) {
            return fallback;
        }
        if (value == null) {
            problems.add(location, path, "environment variable " + name + " is not set");
            return "";
        }
        return value;
    }
}
