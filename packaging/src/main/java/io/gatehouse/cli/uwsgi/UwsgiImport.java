package io.gatehouse.cli.uwsgi;

import io.gatehouse.config.UwsgiGlossary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Converts a uWSGI config into Gatehouse YAML: every option that maps becomes a key with a comment naming it, and
 * every other one is listed at the end (and returned) with the reason, or what to do instead. The options'
 * meanings come from {@link UwsgiGlossary}; sockets, apps and pools from {@link ListenerImport} and
 * {@link AppImport}.
 */
public final class UwsgiImport {

    /**
     * The conversion.
     *
     * @param yaml     the Gatehouse config, comments included
     * @param implied  options that need no key here (Gatehouse always behaves so), and placeholders
     * @param unmapped options with no equivalent, each with what to do instead
     */
    public record Result(String yaml, List<ImportNote> implied, List<ImportNote> unmapped) {
    }

    private static final Set<String> NUMBERS = Set.of("count", "seconds", "megabytes", "bytes");

    private UwsgiImport() {
    }

    /** Reads {@code file}'s {@code section} and converts it into a main config. */
    public static Result convert(Path file, String section) {
        return convert(file, section, false);
    }

    /**
     * Reads {@code file}'s {@code section} and converts it; with {@code forAppsDir}, into a file for an
     * {@code apps-dir}, which holds only listeners and apps: the server-wide sections are written commented out,
     * to be moved into the main config.
     */
    public static Result convert(Path file, String section, boolean forAppsDir) {
        UwsgiPlaceholders placeholders = new UwsgiPlaceholders();
        List<UwsgiOption> options = placeholders.resolve(UwsgiConfigReader.read(file, section));
        return convert(options, placeholders, file, section, forAppsDir);
    }

    private static Result convert(List<UwsgiOption> read, UwsgiPlaceholders placeholders, Path file,
            String section, boolean forAppsDir) {
        UwsgiOptions options = new UwsgiOptions(read);
        List<ImportNote> implied = new ArrayList<>();
        List<ImportNote> unmapped = new ArrayList<>();
        for (UwsgiOption o : read) {
            Optional<UwsgiGlossary.Entry> entry = UwsgiGlossary.find(o.name());
            if (entry.isEmpty() && placeholders.isReferenced(o.name())) {
                implied.add(new ImportNote(o, "a placeholder: its value is written where %(" + o.name() + ") was"));
                options.dealtWith(o);
            } else if (entry.isEmpty()) {
                unmapped.add(new ImportNote(o, "not a uWSGI option known here (uWSGI takes an unknown name as a "
                        + "placeholder)"));
                options.dealtWith(o);
            } else if (entry.get().kind() == UwsgiGlossary.Kind.KEY && NUMBERS.contains(entry.get().unit())
                    && !UwsgiValue.isNumber(o) && !o.value().equals("%k")) {
                unmapped.add(new ImportNote(o, "expected a number (" + entry.get().unit() + ")"));
                options.dealtWith(o);
            } else if (entry.get().kind() != UwsgiGlossary.Kind.KEY) {
                (entry.get().kind() == UwsgiGlossary.Kind.IMPLIED ? implied : unmapped)
                        .add(new ImportNote(o, entry.get().note()));
                options.dealtWith(o);
            }
        }
        YamlTree serverWide = new YamlTree();
        String name = file.getFileName().toString().replaceAll("\\.[^.]*$", "");
        section(serverWide, "master", master(options));
        section(serverWide, "logging", logging(options, unmapped));
        section(serverWide, "stats", stats(options));
        YamlTree doc = forAppsDir ? new YamlTree() : serverWide;
        List<YamlTree> listeners = new ListenerImport(unmapped).convert(options);
        List<YamlTree> apps = new AppImport(implied, unmapped, name).convert(options);
        if (!listeners.isEmpty()) {
            doc.put("listeners", items(listeners), null);
        }
        if (!apps.isEmpty()) {
            doc.put("apps", items(apps), null);
        }
        for (UwsgiOption o : options.rest()) {
            unmapped.add(new ImportNote(o, "nothing here to apply it to (no module, wsgi-file or mount makes an app)"));
        }
        unmapped.sort((a, b) -> Integer.compare(read.indexOf(a.option()), read.indexOf(b.option())));
        implied.sort((a, b) -> Integer.compare(read.indexOf(a.option()), read.indexOf(b.option())));
        String server = forAppsDir && !serverWide.isEmpty() ? commentedOut(serverWide.write()) : "";
        return new Result(header(file, section) + server + doc.write() + footer(implied, unmapped),
                List.copyOf(implied), List.copyOf(unmapped));
    }

    private static YamlTree master(UwsgiOptions options) {
        YamlTree master = new YamlTree();
        options.takeLast("pidfile").ifPresent(o -> master.put("pidfile", o.value(), comment(o)));
        options.takeLast("reload-mercy").ifPresent(o -> master.put("shutdown-timeout", UwsgiValue.seconds(o),
                comment(o)));
        return master;
    }

    private static YamlTree logging(UwsgiOptions options, List<ImportNote> unmapped) {
        YamlTree logging = new YamlTree();
        Optional<UwsgiOption> file = Optional.empty();
        for (UwsgiOption o : options.take("logto", "daemonize", "logger")) {
            String path = o.name().equals("logger") ? filePath(o.value()) : o.value();
            if (path == null || path.contains("://") || path.matches("[^/]*:\\d+")) {
                unmapped.add(new ImportNote(o, "logs go to a file or stderr (the journal under systemd); use "
                        + "rsyslog or journald to forward them"));
            } else {
                file = Optional.of(o.withValue(path));
            }
        }
        file.ifPresent(o -> logging.put("error-log", o.value(), comment(o) + (o.name().equals("daemonize")
                ? " (Gatehouse runs in the foreground, started by systemd)" : "")));
        for (UwsgiOption o : options.take("req-logger")) {
            String path = filePath(o.value());
            if (path == null) {
                unmapped.add(new ImportNote(o, "the access log goes to a file: req-logger = file:PATH"));
            } else {
                logging.put("access-log", path, comment(o));
            }
        }
        return logging;
    }

    private static YamlTree stats(UwsgiOptions options) {
        YamlTree stats = new YamlTree();
        options.takeLast("stats").ifPresent(o -> stats.put("bind", ListenerImport.bind(o.value()), comment(o)));
        return stats;
    }

    /** {@code file:/path} of a uWSGI logger, or null for another kind (syslog, udp...). */
    private static String filePath(String logger) {
        return logger.startsWith("file:") ? logger.substring("file:".length()) : null;
    }

    private static void section(YamlTree doc, String key, YamlTree section) {
        if (!section.isEmpty()) {
            doc.put(key, section, null);
        }
    }

    private static YamlNode.Seq items(List<YamlTree> trees) {
        return new YamlNode.Seq(trees.stream().map(t -> new YamlNode.Item(t, null)).toList());
    }

    private static String header(Path file, String section) {
        return "# Converted from uWSGI's " + file + " [" + section + "] by gatehouse import-uwsgi.\n"
                + "# Relative paths are read from this file's directory (uWSGI read them from its working directory).\n";
    }

    /** The server-wide sections, commented out: an apps-dir file that held them would be refused. */
    private static String commentedOut(String yaml) {
        return "# Server-wide settings: an apps-dir file holds only listeners: and apps:, so move these into the main\n"
                + "# config (gatehouse.yaml) if you want them.\n" + yaml.replaceAll("(?m)^", "# ") + "\n";
    }

    private static String footer(List<ImportNote> implied, List<ImportNote> unmapped) {
        StringBuilder out = new StringBuilder();
        notes(out, "uWSGI options that need no key here:", implied);
        notes(out, "uWSGI options with no equivalent here, and what to do instead:", unmapped);
        return out.toString();
    }

    private static void notes(StringBuilder out, String title, List<ImportNote> notes) {
        if (!notes.isEmpty()) {
            out.append("\n# ").append(title).append('\n');
            notes.forEach(n -> out.append("#   ").append(n.option().written()).append(" (")
                    .append(n.option().file().getFileName()).append(':').append(n.option().line()).append("): ")
                    .append(n.reason()).append('\n'));
        }
    }

    private static String comment(UwsgiOption o) {
        return "uWSGI: " + o.written();
    }
}
