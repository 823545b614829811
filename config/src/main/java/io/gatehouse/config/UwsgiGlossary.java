package io.gatehouse.config;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * uWSGI's options and what each is here (the table {@code uwsgi-options.tsv} beside this class): a Gatehouse key, a
 * behaviour that needs no key, or no equivalent and what to do instead. {@code gatehouse check} explains an unknown
 * key that is a uWSGI option with it, and {@code gatehouse import-uwsgi} converts and lists options by it.
 */
public final class UwsgiGlossary {

    /** What Gatehouse has for a uWSGI option. */
    public enum Kind {
        /** A key (or, for {@code apps[]}, an app of its own) does what the option did. */
        KEY,
        /** Gatehouse always behaves as the option asked: nothing to write. */
        IMPLIED,
        /** Nothing here does it; the note says what to do instead. */
        NONE
    }

    /**
     * One uWSGI option with its aliases.
     *
     * @param names     the option's names, the usual one first
     * @param kind      what Gatehouse has for it
     * @param gatehouse for {@link Kind#KEY}: where, as {@code apps[].workers}, {@code master.pidfile} or {@code apps[]}
     * @param unit      what a value counted in uWSGI: count, seconds, megabytes, kilobytes, bytes, flag, text, path
     * @param note      the difference worth knowing, or what to do instead; empty if none
     */
    public record Entry(List<String> names, Kind kind, String gatehouse, String unit, String note) {

        public Entry {
            names = List.copyOf(names);
            Objects.requireNonNull(kind, "kind");
        }

        /** The option's usual name. */
        public String name() {
            return names.get(0);
        }

        /** The section of {@link #gatehouse}, such as {@code apps[]} or {@code master}; empty for none. */
        public String section() {
            int dot = gatehouse.indexOf('.');
            return dot < 0 ? gatehouse : gatehouse.substring(0, dot);
        }

        /** The key within its section, such as {@code workers} or {@code preload: false}; empty for none. */
        public String key() {
            int dot = gatehouse.indexOf('.');
            return dot < 0 ? "" : gatehouse.substring(dot + 1);
        }

        /**
         * What {@code check} says of the option written as {@code written} in a mapping of {@code section} (a key
         * path with its indexes as {@code []}): {@code uWSGI's 'processes' is 'workers' here}.
         */
        public String explain(String written, String section) {
            String what = switch (kind) {
                case KEY -> "is " + (section.equals(section()) && !key().isEmpty() ? "'" + key() + "'"
                        : key().isEmpty() ? "an entry of " + section() : gatehouse) + " here";
                case IMPLIED -> "needs no key here";
                case NONE -> "has no equivalent here";
            };
            return "uWSGI's '" + written + "' " + what + (note.isEmpty() ? "" : (kind == Kind.KEY ? ", " : ": ") + note);
        }
    }

    private static final String TABLE = "uwsgi-options.tsv";
    private static final List<Entry> ENTRIES;
    private static final Map<String, Entry> BY_NAME;

    static {
        List<Entry> entries = read();
        Map<String, Entry> byName = new HashMap<>();
        for (Entry e : entries) {
            for (String name : e.names()) {
                if (byName.put(name, e) != null) {
                    throw new IllegalStateException(TABLE + " lists '" + name + "' twice");
                }
            }
        }
        ENTRIES = Collections.unmodifiableList(entries);
        BY_NAME = Map.copyOf(byName);
    }

    private UwsgiGlossary() {
    }

    /** The entry of a uWSGI option by any of its names (as uWSGI does, {@code _} stands for {@code -}). */
    public static Optional<Entry> find(String option) {
        return Optional.ofNullable(BY_NAME.get(option.toLowerCase(Locale.ROOT).replace('_', '-')));
    }

    /** Every entry, in the table's order. */
    public static List<Entry> entries() {
        return ENTRIES;
    }

    private static List<Entry> read() {
        List<Entry> entries = new ArrayList<>();
        try (InputStream in = Objects.requireNonNull(UwsgiGlossary.class.getResourceAsStream(TABLE), TABLE);
                BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                if (f.length != 5) {
                    throw new IllegalStateException(TABLE + ": expected 5 columns: " + line);
                }
                entries.add(new Entry(Arrays.asList(f[0].split(",")), Kind.valueOf(f[1].toUpperCase(Locale.ROOT)),
                        dash(f[2]), f[3], dash(f[4])));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return entries;
    }

    private static String dash(String field) {
        return field.equals("-") ? "" : field;
    }
}
