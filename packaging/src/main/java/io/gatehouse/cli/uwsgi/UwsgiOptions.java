package io.gatehouse.cli.uwsgi;

import io.gatehouse.config.UwsgiGlossary;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The options of one uWSGI config as the conversion takes them: by their usual name (an alias, such as
 * {@code workers} for {@code processes}, counts as the option), each taken once, so that whatever is left over at
 * the end can be listed.
 */
final class UwsgiOptions {

    private final List<UwsgiOption> all;
    private final Set<UwsgiOption> taken = new LinkedHashSet<>();

    UwsgiOptions(List<UwsgiOption> all) {
        this.all = List.copyOf(all);
    }

    /** The usual name of an option: the glossary's, else as written. */
    static String usual(UwsgiOption o) {
        return UwsgiGlossary.find(o.name()).map(UwsgiGlossary.Entry::name).orElse(o.name());
    }

    /** Takes every option with one of these usual names, in the order written. */
    List<UwsgiOption> take(String... names) {
        Set<String> wanted = Set.of(names);
        List<UwsgiOption> out = new ArrayList<>();
        for (UwsgiOption o : all) {
            if (!taken.contains(o) && wanted.contains(usual(o))) {
                out.add(o);
                taken.add(o);
            }
        }
        return out;
    }

    /** Takes the options with these names; the last one written wins, as in uWSGI. */
    Optional<UwsgiOption> takeLast(String... names) {
        List<UwsgiOption> found = take(names);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(found.size() - 1));
    }

    /** Whether an option with this usual name is present, taken or not. */
    boolean has(String name) {
        return all.stream().anyMatch(o -> usual(o).equals(name));
    }

    /** The last value of an option without taking it (a setting that several conversions read). */
    Optional<UwsgiOption> peek(String name) {
        UwsgiOption last = null;
        for (UwsgiOption o : all) {
            if (usual(o).equals(name)) {
                last = o;
            }
        }
        return Optional.ofNullable(last);
    }

    /** Marks an option as dealt with without converting it (a placeholder, an implied option). */
    void dealtWith(UwsgiOption o) {
        taken.add(o);
    }

    /** The options not taken yet, in the order written. */
    List<UwsgiOption> rest() {
        return all.stream().filter(o -> !taken.contains(o)).toList();
    }
}
