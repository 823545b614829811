package io.gatehouse.core.master;

import io.gatehouse.config.AppConfig;
import io.gatehouse.config.AppsDir;
import io.gatehouse.config.ConfigError;
import io.gatehouse.config.ConfigException;
import io.gatehouse.config.ConfigLoader;
import io.gatehouse.config.ConfigScope;
import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.config.KeySuggestion;
import io.gatehouse.config.ListenerConfig;
import io.gatehouse.config.LoadedConfig;
import io.gatehouse.core.cgroup.CgroupChecks;
import io.gatehouse.core.master.ResolvedConfig.ResolvedApp;
import io.gatehouse.core.master.ResolvedConfig.ResolvedListener;
import io.gatehouse.core.protocol.ProtocolCatalog;
import io.gatehouse.core.runtime.RuntimeCatalog;
import io.gatehouse.spi.protocol.Protocol;
import io.gatehouse.spi.runtime.AppRuntime;
import io.gatehouse.spi.runtime.Privileges;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads a config's files: the main file (with its includes) and each file of its {@code apps-dir}, every listener's
 * protocol and app's runtime resolved and checked. The main file's mistakes throw; an apps-dir file's refuse that
 * file alone.
 */
final class ConfigFiles {
    private final ProtocolCatalog protocols;
    private final RuntimeCatalog runtimes;
    private final Privileges running;
    private final CgroupChecks cgroups;
    private final Map<String, String> env;

    /**
     * @param running the privileges of the master that runs what is read, or null when only checking
     * @param env     the environment {@code ${VAR}} reads
     */
    ConfigFiles(ProtocolCatalog protocols, RuntimeCatalog runtimes, Privileges running, Map<String, String> env) {
        this(protocols, runtimes, running, running == null ? CgroupChecks.forCheck() : CgroupChecks.forRun(), env);
    }

    /** As above, with {@code cgroups} checking the apps' cgroup keys. */
    ConfigFiles(ProtocolCatalog protocols, RuntimeCatalog runtimes, Privileges running, CgroupChecks cgroups,
            Map<String, String> env) {
        this.protocols = protocols;
        this.runtimes = runtimes;
        this.running = running;
        this.cgroups = cgroups;
        this.env = env;
    }

    /** The main file as read: its config, what it declares, and the apps-dir files it names now. */
    record MainFile(GatehouseConfig config, Declared declared, List<Path> appsFiles, List<ConfigError> warnings) {
    }

    /** One apps-dir file as read: its stamp just before (null when it is gone), and what it declares, or why not. */
    record FileRead(FileStamp stamp, Declared declared, List<ConfigError> errors) {
        static final FileRead GONE = new FileRead(null, Declared.NOTHING, List.of());
    }

    /**
     * The config a reload of {@code scope} moves to from {@code running}: the whole config read anew; or the running
     * one with the apps-dir files it names read anew and the apps it names taken from the config as it is now
     * (which must then be free of errors); or the running one as it is (touch-reload).
     *
     * @throws ConfigException when the main file has errors
     * @throws Reload.Refused  when an app named is not in the config, or its file is refused, or it clashes
     */
    ResolvedConfig next(ReloadScope scope, ResolvedConfig running) throws Reload.Refused {
        if (scope.whole()) {
            return readAll(running.file(), running);
        }
        ResolvedConfig next = scope.files().isEmpty() ? running : reread(running, scope.files());
        if (scope.apps().isEmpty()) {
            return next;
        }
        ResolvedConfig now = readAll(running.file(), running);
        for (String name : scope.apps()) {
            ResolvedApp app = now.app(name);
            AppsFile file = app == null ? null : now.appsFiles().get(ResolvedConfig.fileOf(app.config().origin()));
            if (app == null) {
                throw new Reload.Refused("no app named '" + name + "' in " + running.file()
                        + (running.config().appsDir() == null ? "" : " or its apps-dir"));
            }
            if (file != null && file.refused()) {
                throw new Reload.Refused("app '" + name + "': its file is refused: " + String.join("; ",
                        file.errors()));
            }
            next = next.withApp(app);
        }
        List<String> clashes = AppsDirAssembly.clashes(next, scope.apps());
        if (!clashes.isEmpty()) {
            throw new Reload.Refused(String.join("; ", clashes) + "; reload the whole config instead");
        }
        return next;
    }

    /** Reads the main file and every apps-dir file; {@code running} (null at boot) keeps refused files' apps. */
    ResolvedConfig readAll(Path file, ResolvedConfig running) {
        List<Path> listed = new ArrayList<>();
        MainFile main;
        try {
            main = readMain(file, listed);
        } catch (ConfigException e) {
            // Every mistake at once: the apps-dir files' join those of the main file.
            List<ConfigError> all = new ArrayList<>(e.errors());
            listed.forEach(p -> all.addAll(readAppsFile(p, null).errors()));
            throw new ConfigException(all.stream().sorted().toList());
        }
        Map<Path, FileRead> fresh = new TreeMap<>();
        main.appsFiles().forEach(p -> fresh.put(p, readAppsFile(p, main.config())));
        if (running != null) {
            running.appsFiles().keySet().forEach(p -> fresh.putIfAbsent(p, FileRead.GONE));
        }
        return AppsDirAssembly.assemble(file, main, fresh, running);
    }

    /** Reads {@code files} of the running config's apps-dir anew (added, changed or gone), and nothing else. */
    ResolvedConfig reread(ResolvedConfig running, Set<Path> files) throws Reload.Refused {
        String pattern = running.config().appsDir();
        Set<Path> listed = new HashSet<>();
        if (pattern != null) {
            try {
                listed.addAll(AppsDir.files(running.file(), pattern));
            } catch (IOException e) {
                throw new Reload.Refused("apps-dir: cannot list " + AppsDir.directory(running.file(), pattern) + ": "
                        + e.getMessage());
            }
        }
        Map<Path, FileRead> fresh = new TreeMap<>();
        files.forEach(p -> fresh.put(p, listed.contains(p) ? readAppsFile(p, running.config()) : FileRead.GONE));
        MainFile main = new MainFile(running.config(), running.declaredInMain(), List.copyOf(listed),
                running.warnings());
        return AppsDirAssembly.assemble(running.file(), main, fresh, running);
    }

    /**
     * Reads the main file; throws a {@link ConfigException} with every mistake. The files of its apps-dir go to
     * {@code appsFiles} as soon as they are known, even when the main file then turns out to have mistakes.
     */
    private MainFile readMain(Path file, List<Path> appsFiles) {
        List<ResolvedListener> listeners = new ArrayList<>();
        List<ResolvedApp> apps = new ArrayList<>();
        LoadedConfig loaded = ConfigLoader.load(file, env, (c, where) -> {
            resolve(c, where, PrivilegeChecks.ofMain(c, where, running, cgroups), listeners, apps);
            if (c.appsDir() == null && c.listeners().isEmpty()) {
                where.pinned().key("listeners").error("at least one listener is required");
            }
            if (c.appsDir() != null) {
                listAppsDir(file, c.appsDir(), where.key("apps-dir"), appsFiles);
            }
        });
        return new MainFile(loaded.config(), new Declared(listeners, apps), List.copyOf(appsFiles),
                loaded.warnings());
    }

    private static void listAppsDir(Path file, String pattern, ConfigScope where, List<Path> out) {
        Path dir = AppsDir.directory(file, pattern);
        if (!Files.isDirectory(dir)) {
            where.error("no such directory: " + dir);
            return;
        }
        try {
            out.addAll(AppsDir.files(file, pattern));
        } catch (IOException | IllegalArgumentException e) {
            where.error("cannot list the files of '" + pattern + "': " + e.getMessage());
        }
    }

    /**
     * Reads one apps-dir file: accepted, or refused with its errors. Its apps' users are checked against the master
     * section of {@code main} (the main file's config), or that of none when it is unknown.
     */
    FileRead readAppsFile(Path file, GatehouseConfig main) {
        FileStamp stamp = FileStamp.of(file);
        if (stamp == null) {
            return FileRead.GONE;
        }
        List<ResolvedListener> listeners = new ArrayList<>();
        List<ResolvedApp> apps = new ArrayList<>();
        try {
            ConfigLoader.loadAppsFile(file, env, (c, where) -> resolve(c, where,
                    PrivilegeChecks.ofAppsFile(main, this.running, cgroups), listeners, apps));
            return new FileRead(stamp, new Declared(listeners, apps), List.of());
        } catch (ConfigException e) {
            return new FileRead(stamp, Declared.NOTHING, e.errors());
        }
    }

    private void resolve(GatehouseConfig c, ConfigScope where, PrivilegeChecks privileges,
            List<ResolvedListener> listeners, List<ResolvedApp> apps) {
        resolveListeners(c.listeners(), where.key("listeners"), listeners);
        resolveApps(c.apps(), where.key("apps"), privileges, apps);
    }

    private void resolveListeners(List<ListenerConfig> configs, ConfigScope list, List<ResolvedListener> out) {
        for (int i = 0; i < configs.size(); i++) {
            ListenerConfig l = configs.get(i);
            Protocol<?> protocol = l == null || l.protocol() == null ? null : protocols.get(l.protocol());
            if (l != null && l.protocol() != null && protocol == null) {
                list.item(i).pinned().key("protocol").error(unknown("protocol", l.protocol(), protocols.names()));
            }
            if (protocol != null && l.proxyProtocol() && !protocol.acceptsProxyProtocol()) {
                String which = protocols.acceptingProxyProtocol();
                list.item(i).key("proxy-protocol").error("the " + protocol.name() + " protocol does not take a PROXY "
                        + "protocol header" + (which.isEmpty() ? "" : " (only " + which + " listeners do)"));
            }
            if (protocol != null) {
                out.add(new ResolvedListener(l, protocol, ResolvedConfig.bindListener(protocol, l, list.item(i))));
            }
        }
    }

    private void resolveApps(List<AppConfig> configs, ConfigScope list, PrivilegeChecks privileges,
            List<ResolvedApp> out) {
        for (int i = 0; i < configs.size(); i++) {
            AppConfig a = configs.get(i);
            AppRuntime<?> runtime = a == null || a.runtime() == null ? null : runtimes.get(a.runtime());
            if (a != null && a.runtime() != null && runtime == null) {
                list.item(i).pinned().key("runtime").error(unknown("runtime", a.runtime(), runtimes.names()));
            }
            if (runtime != null) {
                privileges.checkApp(a, runtime, list.item(i));
                out.add(new ResolvedApp(a, runtime, ResolvedConfig.bindApp(runtime, a, list.item(i))));
            }
        }
    }

    private static String unknown(String what, String name, Set<String> known) {
        return "unknown " + what + " '" + name + "'" + KeySuggestion.didYouMean(name, known) + "; known: "
                + String.join(", ", known);
    }
}
