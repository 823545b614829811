package io.gatehouse.cli.uwsgi;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * uWSGI's late substitutions: {@code %(name)} takes the value of option (or placeholder) {@code name}, set anywhere
 * in the file or with {@code set-placeholder = name=value}; {@code $(VAR)} reads the environment, and becomes
 * Gatehouse's own {@code ${VAR}}, read from the environment when the config is loaded.
 */
final class UwsgiPlaceholders {

    private static final Pattern REFERENCE = Pattern.compile("%\\(([^)]*)\\)");
    private static final Pattern ENVIRONMENT = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");
    private static final int ROUNDS = 10;

    private final Map<String, String> values = new HashMap<>();
    private final Set<String> referenced = new HashSet<>();

    /** The options with every reference resolved, as uWSGI would (an unknown name resolves to nothing). */
    List<UwsgiOption> resolve(List<UwsgiOption> options) {
        for (UwsgiOption o : options) {
            if (o.name().equals("set-placeholder") || o.name().equals("set-ph")) {
                int eq = o.value().indexOf('=');
                if (eq > 0) {
                    values.put(o.value().substring(0, eq).strip(), o.value().substring(eq + 1).strip());
                }
            } else {
                values.put(o.name(), o.value());
            }
        }
        List<UwsgiOption> out = new ArrayList<>(options.size());
        for (UwsgiOption o : options) {
            out.add(o.withValue(substitute(o.value())));
        }
        return out;
    }

    /** Whether {@code name} was used as a placeholder: then it is no option of its own. */
    boolean isReferenced(String name) {
        return referenced.contains(name);
    }

    private String substitute(String value) {
        String v = value;
        for (int round = 0; round < ROUNDS && v.contains("%("); round++) {
            Matcher m = REFERENCE.matcher(v);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String name = m.group(1).strip();
                referenced.add(name);
                m.appendReplacement(out, Matcher.quoteReplacement(values.getOrDefault(name, "")));
            }
            m.appendTail(out);
            v = out.toString();
        }
        return ENVIRONMENT.matcher(v).replaceAll(r -> Matcher.quoteReplacement("${" + r.group(1) + "}"));
    }
}
