package io.gatehouse.cli.uwsgi;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * uWSGI's Python app as apps: the one of {@code module} or {@code wsgi-file} at {@code /}, one more per
 * {@code mount}, each with the Python settings ({@code home}, {@code chdir}, {@code pythonpath}, {@code env}), the
 * pool's ({@link PoolImport}) and its user and limits ({@link PrivilegeImport}); and a {@code runtime: static} app per
 * {@code static-map}.
 */
final class AppImport {

    private static final Set<String> GENERIC = Set.of("wsgi", "app", "application", "main", "server", "uwsgi");

    /** One key every Python app gets. */
    record Setting(String key, YamlNode value, String comment) {
    }

    private final List<ImportNote> implied;
    private final List<ImportNote> unmapped;
    private final String fallbackName;
    private final Set<String> names = new HashSet<>();

    AppImport(List<ImportNote> implied, List<ImportNote> unmapped, String fallbackName) {
        this.implied = implied;
        this.unmapped = unmapped;
        this.fallbackName = fallbackName;
    }

    List<YamlTree> convert(UwsgiOptions options) {
        List<YamlTree> apps = new ArrayList<>();
        if (options.has("module") || options.has("wsgi-file") || options.has("mount")) {
            String chdir = options.peek("chdir").map(UwsgiOption::value).orElse(null);
            List<Setting> python = python(options, chdir);
            List<Setting> pool = new PoolImport(unmapped).convert(options);
            pool.addAll(new PrivilegeImport(implied, unmapped).convert(options));
            Optional<UwsgiOption> callable = options.takeLast("callable");
            Optional<UwsgiOption> module = options.takeLast("module");
            Optional<UwsgiOption> file = options.takeLast("wsgi-file");
            if (module.isPresent() && file.isPresent()) {
                unmapped.add(new ImportNote(file.get(), "a second app at the same mount as module: mount it apart"));
            }
            module.or(() -> file).ifPresent(target ->
                    apps.add(python(nameOf(target.value(), chdir), "/", target, callable, chdir, python, pool)));
            for (UwsgiOption m : options.take("mount")) {
                int eq = m.value().indexOf('=');
                String mount = eq < 0 ? "" : trimSlash(m.value().substring(0, eq).strip());
                if (eq < 0 || !mount.startsWith("/")) {
                    unmapped.add(new ImportNote(m, "expected mount = /PATH=MODULE_OR_FILE"));
                    continue;
                }
                UwsgiOption target = m.withValue(m.value().substring(eq + 1).strip());
                YamlTree app = python(nameOf(mount.substring(1).replace('/', '-'), null), mount, target,
                        callable, chdir, python, pool);
                apps.add(app);
            }
        }
        apps.addAll(new StaticImport(unmapped, this::unique).convert(options));
        return apps;
    }

    private YamlTree python(String name, String mount, UwsgiOption target, Optional<UwsgiOption> callable,
            String chdir, List<Setting> python, List<Setting> pool) {
        YamlTree app = new YamlTree().put("name", name, null).put("runtime", "python", null);
        if (!mount.equals("/")) {
            app.put("mount", mount, "uWSGI: " + target.name() + " = " + mount + "=" + target.value()
                    + " (uWSGI ran every mount in the same workers; each app here has its own)");
        }
        String value = target.value();
        // As uWSGI decides: module names a module; a mount names a file when it ends in .py or .wsgi.
        boolean isFile = UwsgiOptions.usual(target).equals("wsgi-file") || value.contains("/")
                || (UwsgiOptions.usual(target).equals("mount") && (value.endsWith(".py") || value.endsWith(".wsgi")));
        String comment = mount.equals("/") ? "uWSGI: " + target.written() : null;
        if (isFile) {
            app.put("wsgi-file", underChdir(value, chdir), comment);
        } else {
            app.put("module", value, comment);
        }
        callable.ifPresent(c -> {
            if (!isFile && value.contains(":")) {
                unmapped.add(new ImportNote(c, "the module '" + value + "' names its callable already"));
            } else {
                app.put("callable", c.value(), "uWSGI: " + c.written());
            }
        });
        python.forEach(s -> app.put(s.key(), s.value(), s.comment()));
        pool.forEach(s -> app.put(s.key(), s.value(), s.comment()));
        return app;
    }

    private List<Setting> python(UwsgiOptions options, String chdir) {
        List<Setting> out = new ArrayList<>();
        options.takeLast("home").ifPresent(o -> out.add(new Setting("home", YamlTree.string(o.value()), c(o))));
        options.takeLast("chdir").ifPresent(o -> out.add(new Setting("chdir", YamlTree.string(o.value()), c(o))));
        List<YamlNode.Item> paths = new ArrayList<>();
        for (UwsgiOption o : options.take("pythonpath")) {
            paths.add(new YamlNode.Item(YamlTree.string(underChdir(o.value(), chdir)), c(o)
                    + (o.value().contains("*") ? " (a glob in uWSGI; here one path: list each)" : "")));
        }
        if (!paths.isEmpty()) {
            out.add(new Setting("pythonpath", new YamlNode.Seq(paths), null));
        }
        YamlTree env = new YamlTree();
        for (UwsgiOption o : options.take("env")) {
            int eq = o.value().indexOf('=');
            if (eq <= 0) {
                unmapped.add(new ImportNote(o, "expected env = NAME=VALUE"));
            } else {
                env.put(o.value().substring(0, eq), o.value().substring(eq + 1), c(o));
            }
        }
        if (!env.isEmpty()) {
            out.add(new Setting("env", env, null));
        }
        return out;
    }

    /** uWSGI loads the app after its chdir, so a relative wsgi-file or pythonpath is read from there. */
    static String underChdir(String path, String chdir) {
        if (chdir == null || Path.of(path).isAbsolute() || !Path.of(chdir).isAbsolute() || path.startsWith("${")) {
            return path;
        }
        return Path.of(chdir).resolve(path).normalize().toString();
    }

    /** The app's name: its package (mysite of mysite.wsgi), else its directory's, else the config file's. */
    private String nameOf(String target, String chdir) {
        String base = target.replaceAll("[:/].*$", "").replaceAll("\\..*$", "");
        if (target.contains("/")) {
            Path file = Path.of(target).getFileName();
            base = file == null ? "" : file.toString().replaceAll("\\..*$", "");
        }
        if (base.isEmpty() || GENERIC.contains(base.toLowerCase(Locale.ROOT))) {
            Path dir = chdir == null ? null : Path.of(chdir).getFileName();
            base = dir != null ? dir.toString() : fallbackName;
        }
        return unique(base.replaceAll("[^A-Za-z0-9_.-]", "-"));
    }

    /** {@code name}, or {@code name-2}, {@code name-3}... when taken. */
    String unique(String name) {
        String n = name.isEmpty() ? "app" : name;
        for (int i = 2; !names.add(n); i++) {
            n = name + "-" + i;
        }
        return n;
    }

    static String trimSlash(String mount) {
        return mount.length() > 1 && mount.endsWith("/") ? mount.substring(0, mount.length() - 1) : mount;
    }

    private static String c(UwsgiOption o) {
        return "uWSGI: " + o.written();
    }
}
