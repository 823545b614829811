package io.gatehouse.runtime.cgi;

import io.gatehouse.app.Environ;
import io.gatehouse.app.EnvironKeys;
import io.gatehouse.config.AppConfig;
import io.gatehouse.spi.runtime.AppLauncher;
import io.gatehouse.spi.runtime.RuntimeContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Finds the script of a request and builds its command line and environment (RFC 3875 section 4). */
final class CgiScripts {
    /** A request's script: where it is, the SCRIPT_NAME and PATH_INFO it sees, and how to run it. */
    record Target(Path script, String scriptName, String pathInfo, List<String> command) {
    }

    /** Meta-variable names: CGI's and HTTP_*; the environ's wsgi.* and gatehouse.* keys are not for scripts. */
    private static final Pattern META_VARIABLE = Pattern.compile("[A-Z][A-Z0-9_]*");

    private final Path root;
    private final Path script;
    private final Map<String, String> interpreters;
    private final Map<String, String> baseEnv = new HashMap<>();
    private final AppLauncher launcher;

    CgiScripts(AppConfig app, CgiOptions options, AppLauncher launcher) {
        this.launcher = launcher;
        this.root = options.root() == null ? null : realPath(RuntimeContext.resolve(app, options.root()));
        this.script = options.script() == null ? null : RuntimeContext.resolve(app, options.script());
        this.interpreters = Map.copyOf(options.interpreters());
        for (String name : options.passEnv()) {
            String value = System.getenv(name);
            if (value != null) {
                baseEnv.put(name, value);
            }
        }
        baseEnv.putAll(options.env());
    }

    /** The script for this request, or null when no file of the root matches its path. */
    Target resolve(Environ env) {
        String scriptName = env.getOrDefault(EnvironKeys.SCRIPT_NAME, "");
        String pathInfo = env.getOrDefault(EnvironKeys.PATH_INFO, "");
        if (script != null) {
            return new Target(script, scriptName, pathInfo, command(script));
        }
        String path = new String(pathInfo.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
        int end = 0;
        while (end < path.length()) {
            int next = path.indexOf('/', end + 1);
            end = next < 0 ? path.length() : next;
            String prefix = path.substring(0, end);
            if (prefix.contains("/../") || prefix.endsWith("/..") || prefix.indexOf('\0') >= 0) {
                return null;
            }
            Path candidate = root.resolve(prefix.substring(1)).normalize();
            if (!candidate.startsWith(root) || Files.isDirectory(candidate)) {
                continue;
            }
            if (Files.isRegularFile(candidate) && realPath(candidate).startsWith(root)) {
                int split = pathInfo.length() - (path.length() - end);
                return new Target(candidate, scriptName + pathInfo.substring(0, split), pathInfo.substring(split),
                        command(candidate));
            }
            return null;
        }
        return null;
    }

    /** The script's environment: passed and configured variables, then the request's meta-variables. */
    Map<String, String> environment(Environ env, Target target) {
        Map<String, String> out = new HashMap<>(baseEnv);
        for (int i = 0; i < env.size(); i++) {
            String key = env.key(i);
            if (META_VARIABLE.matcher(key).matches()) {
                out.put(key, fromNative(env.value(i)));
            }
        }
        out.put(EnvironKeys.SCRIPT_NAME, fromNative(target.scriptName()));
        out.put(EnvironKeys.PATH_INFO, fromNative(target.pathInfo()));
        out.put("SCRIPT_FILENAME", target.script().toString());
        out.put(EnvironKeys.GATEWAY_INTERFACE, "CGI/1.1");
        out.putIfAbsent(EnvironKeys.SERVER_SOFTWARE, EnvironKeys.SOFTWARE);
        out.put("REDIRECT_STATUS", "200");
        if (root != null && !target.pathInfo().isEmpty()) {
            out.put("PATH_TRANSLATED", root.resolve(fromNative(target.pathInfo()).substring(1)).toString());
        }
        return out;
    }

    /** The command that runs {@code target}: as the app's user, under its limits. */
    List<String> launch(Target target) {
        return launcher.command(target.command());
    }

    private List<String> command(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String interpreter = dot < 0 ? null : interpreters.get(name.substring(dot));
        List<String> cmd = new ArrayList<>(2);
        if (interpreter != null) {
            cmd.add(interpreter);
        }
        cmd.add(file.toString());
        return cmd;
    }

    /**
     * A native string (bytes as ISO-8859-1) as the Java string whose UTF-8 encoding is those bytes, so the process
     * environment carries the request's bytes unchanged (the JVM encodes environment strings as UTF-8).
     */
    static String fromNative(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) > 0x7f) {
                return new String(value.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
            }
        }
        return value;
    }

    private static Path realPath(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p.toAbsolutePath().normalize();
        }
    }
}
