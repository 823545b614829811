package io.gatehouse.runtime.cgi;

import io.gatehouse.app.Environ;
import io.gatehouse.app.EnvironKeys;
import io.gatehouse.config.AppConfig;
import io.gatehouse.spi.runtime.AppLauncher;
import io.gatehouse.spi.runtime.DocumentRoot;
import io.gatehouse.spi.runtime.RuntimeContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Finds the script of a request (never outside {@code root}: {@link DocumentRoot}) and builds its command line and
 * environment (RFC 3875 section 4, from {@link CgiEnvironment}'s allow-list).
 */
final class CgiScripts {
    private static final Logger LOG = Logger.getLogger(CgiScripts.class.getName());

    /**
     * util-linux's setpriv, which asks the kernel to kill a script when the thread that started it ends, so no script
     * outlives a master killed with SIGKILL (the thread waits for its script, so it never ends first otherwise).
     */
    static final Path SETPRIV = Path.of("/usr/bin/setpriv");

    /** A request's script: where it is, the SCRIPT_NAME and PATH_INFO it sees, and how to run it. */
    record Target(Path script, String scriptName, String pathInfo, List<String> command) {
    }

    /** The script for a request, or why there is none: a refusal (logged) or nothing found (neither). */
    record Lookup(Target target, String path, DocumentRoot.Refusal refusal) {
        static final Lookup NOT_FOUND = new Lookup(null, null, null);
    }

    private final DocumentRoot root;
    private final Path script;
    private final Map<String, String> interpreters;
    private final CgiEnvironment environment;
    /** setpriv's --pdeathsig: the script dies with the master; run after any switch of user, which would clear it. */
    private final List<String> orphanGuard;
    private final AppLauncher launcher;

    CgiScripts(AppConfig app, CgiOptions options, AppLauncher launcher) throws IOException {
        this.launcher = launcher;
        this.root = options.root() == null ? null
                : new DocumentRoot(RuntimeContext.resolve(app, options.root()), options.followSymlinks());
        this.script = options.script() == null ? null : RuntimeContext.resolve(app, options.script());
        this.interpreters = Map.copyOf(options.interpreters());
        this.environment = new CgiEnvironment(options.env());
        if (Files.isExecutable(SETPRIV)) {
            this.orphanGuard = List.of(SETPRIV.toString(), "--pdeathsig", "KILL", "--");
        } else {
            LOG.warning("app '" + app.name() + "': " + SETPRIV + " (util-linux) is missing: a CGI script still "
                    + "running when the master is killed will run on to its end");
            this.orphanGuard = List.of();
        }
    }

    /**
     * The script for this request. PATH_INFO names it, from the front server or from a client that sent its own
     * vars: trusted to say which script, never to leave {@code root}, so a hostile spelling is refused whole (the
     * part after the script too: it becomes PATH_TRANSLATED), even for an app of one {@code script}.
     */
    Lookup resolve(Environ env) {
        String scriptName = env.getOrDefault(EnvironKeys.SCRIPT_NAME, "");
        String pathInfo = env.getOrDefault(EnvironKeys.PATH_INFO, "");
        String path = DocumentRoot.utf8(pathInfo);
        String hostile = DocumentRoot.hostile(path);
        if (hostile != null) {
            return new Lookup(null, path, DocumentRoot.Refusal.hostile(hostile));
        }
        if (script != null) {
            return new Lookup(new Target(script, scriptName, pathInfo, command(script)), path, null);
        }
        int end = 0;
        while (end < path.length()) {
            int next = path.indexOf('/', end + 1);
            end = next < 0 ? path.length() : next;
            Path candidate = root.lexical(path.substring(0, end));
            if (candidate == null || Files.isDirectory(candidate)) {
                continue;
            }
            if (!Files.isRegularFile(candidate)) {
                return Lookup.NOT_FOUND;
            }
            Path real = realPath(candidate);
            if (!root.admits(real)) {
                return new Lookup(null, path, DocumentRoot.Refusal.OUTSIDE);
            }
            int split = path.substring(0, end).getBytes(StandardCharsets.UTF_8).length; // in native chars (bytes)
            return new Lookup(new Target(candidate, scriptName + pathInfo.substring(0, split),
                    pathInfo.substring(split), command(candidate)), path, null);
        }
        return Lookup.NOT_FOUND;
    }

    /** The script's environment (see {@link CgiEnvironment}). */
    Map<String, String> environment(Environ env, Target target) throws CgiEnvironment.NulException {
        return environment.of(env, target, root == null ? null : root.path());
    }

    /** The OOM killer's kills in the app's cgroup so far (0 without one). */
    long oomKills() {
        return launcher.oomKills();
    }

    /**
     * The command that runs {@code target}: in the app's cgroup, as its user, under its limits, dying with
     * the master.
     */
    List<String> launch(Target target) {
        return launcher.command(target.command());
    }

    private List<String> command(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String interpreter = dot < 0 ? null : interpreters.get(name.substring(dot));
        List<String> cmd = new ArrayList<>(orphanGuard.size() + 2);
        cmd.addAll(orphanGuard);
        if (interpreter != null) {
            cmd.add(interpreter);
        }
        cmd.add(file.toString());
        return cmd;
    }

    private static Path realPath(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p.toAbsolutePath().normalize();
        }
    }
}
