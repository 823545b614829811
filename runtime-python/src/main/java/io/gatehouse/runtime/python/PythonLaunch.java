package io.gatehouse.runtime.python;

import io.gatehouse.config.AppConfig;
import io.gatehouse.spi.runtime.AppLauncher;
import io.gatehouse.spi.runtime.RuntimeContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * How an app's Python processes start: the interpreter, the working directory, the environment, and the settings
 * the worker script reads as JSON from its standard input. Paths are resolved against the config file's directory.
 *
 * @param appName     the app's name (the worker's argv, so {@code ps} shows which app a process serves)
 * @param interpreter the Python interpreter, or null when none was found
 * @param workDir     the working directory of the fork server and its workers
 * @param appDir      the directory put on sys.path after {@code pythonpath}: the wsgi-file's, else workDir
 * @param wsgiFile    the wsgi-file, resolved, or null for a module
 * @param options     the app's python options
 * @param pythonpath  the pythonpath entries, resolved
 * @param env         variables added to the inherited environment
 * @param bootTimeout the app's boot-timeout: longest a worker (or the preloading fork server) may take to load it
 * @param launcher    how the fork server starts: as the app's user, under its limits
 */
record PythonLaunch(String appName, Path interpreter, Path workDir, Path appDir, Path wsgiFile, PythonOptions options,
        List<Path> pythonpath, Map<String, String> env, Duration bootTimeout, AppLauncher launcher) {

    static final String SCRIPT = "gatehouse_worker.py";
    /**
     * What is written out of the jar: the modules the script loads from beside itself (its SIBLINGS), then the
     * script.
     */
    static final List<String> FILES = List.of("gatehouse_frames.py", "gatehouse_response.py",
            "gatehouse_direct_head.py", "gatehouse_direct_exchange.py", "gatehouse_direct.py", "gatehouse_wsgi_io.py",
            "gatehouse_wsgi.py", "gatehouse_asgi_scope.py", "gatehouse_asgi_http.py", "gatehouse_websocket.py",
            "gatehouse_asgi.py", SCRIPT);

    /**
     * The one thread that starts fork servers. A fork server asks the kernel to kill it when its parent dies
     * (PR_SET_PDEATHSIG), and Linux takes that to mean the parent *thread*: started from a pool or process-reaper
     * thread that ends later, a fork server would be killed while the master runs on. This thread never ends.
     */
    private static final ExecutorService LAUNCHER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "gatehouse-python-launcher");
        t.setDaemon(true);
        return t;
    });

    /**
     * Resolves what {@code options} name for {@code app}, for a check: its processes would start outside any cgroup
     * of the app's. Nothing is checked for existence but the interpreter.
     *
     * @throws IllegalArgumentException when the app's user or group is not in the system's database
     */
    static PythonLaunch of(AppConfig app, PythonOptions options) {
        return of(app, options, AppLauncher.of(app));
    }

    /** As {@link #of(AppConfig, PythonOptions)}, with the fork server started by {@code launcher}. */
    static PythonLaunch of(AppConfig app, PythonOptions options, AppLauncher launcher) {
        Path wsgiFile = options.wsgiFile() == null ? null : RuntimeContext.resolve(app, options.wsgiFile());
        Path workDir = options.chdir() != null ? RuntimeContext.resolve(app, options.chdir())
                : wsgiFile != null ? wsgiFile.getParent() : RuntimeContext.resolve(app, ".");
        List<Path> pythonpath = new ArrayList<>();
        for (String entry : options.pythonpath()) {
            pythonpath.add(RuntimeContext.resolve(app, entry));
        }
        Map<String, String> env = new LinkedHashMap<>();
        if (options.home() != null) {
            Path home = RuntimeContext.resolve(app, options.home());
            env.put("VIRTUAL_ENV", home.toString());
            String path = System.getenv("PATH");
            env.put("PATH", home.resolve("bin") + (path == null || path.isEmpty() ? "" : ":" + path));
        }
        options.env().forEach((k, v) -> env.put(k, v == null ? "" : v));
        return new PythonLaunch(app.name(), interpreter(app, options), workDir,
                wsgiFile != null ? wsgiFile.getParent() : workDir, wsgiFile, options, List.copyOf(pythonpath), env,
                app.bootTimeout(), launcher);
    }

    /** The interpreter {@code options} name: home's bin/python, a path, or a command found on PATH; else null. */
    static Path interpreter(AppConfig app, PythonOptions options) {
        if (options.home() != null) {
            return RuntimeContext.resolve(app, options.home()).resolve("bin/python");
        }
        String python = options.python() != null ? options.python() : PythonOptions.DEFAULT_PYTHON;
        return python.indexOf('/') >= 0 ? RuntimeContext.resolve(app, python) : onPath(python);
    }

    /** The first executable {@code command} in the master's PATH, or null. */
    static Path onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(":")) {
            if (!dir.isEmpty()) {
                Path candidate = Path.of(dir, command);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }

    /** The worker script and the modules beside it, copied out of the jar into {@code runDir} once per master. */
    static synchronized Path extractScript(Path runDir) {
        Path dir = runDir.resolve("python");
        Path target = dir.resolve(SCRIPT);
        if (Files.exists(target)) {
            return target;
        }
        try {
            Files.createDirectories(dir);
            // Apps that run as other users reach their sockets here and read the script, but list nothing.
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
            // the script last: its presence says all are there
            for (String name : FILES) {
                extract(name, dir);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the Python worker script to " + target, e);
        }
    }

    private static void extract(String name, Path dir) throws IOException {
        try (InputStream in = PythonLaunch.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the Gatehouse jar");
            }
            Path temp = Files.createTempFile(dir, "worker", ".tmp");
            Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
            Files.move(temp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /**
     * Starts the fork server: {@code python SCRIPT APP} in the working directory (as the app's user, under its
     * limits), with the extra environment, stdout and stderr in one pipe, and the settings written to its standard
     * input.
     */
    Process start(Path script, Path socket, String token, int threads, int workers, PythonDirect direct)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(launcher.command(List.of(interpreter.toString(),
                script.toString(), appName))).directory(workDir.toFile()).redirectErrorStream(true);
        builder.environment().putAll(launcher.userEnvironment());
        builder.environment().putAll(env);
        Process process = startOnLauncher(builder);
        try (OutputStream stdin = process.getOutputStream()) {
            stdin.write(settings(socket, token, threads, workers, direct).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            process.destroyForcibly();
            throw e;
        }
        return process;
    }

    private static Process startOnLauncher(ProcessBuilder builder) throws IOException {
        try {
            return LAUNCHER.submit(builder::start).get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting " + builder.command().get(0), e);
        }
    }

    /** The settings the worker script reads from its standard input. */
    String settings(Path socket, String token, int threads, int workers, PythonDirect direct) {
        StringBuilder json = new StringBuilder(256).append('{');
        field(json, "app", appName).append(',');
        field(json, "socket", socket.toString()).append(',');
        field(json, "token", token).append(',');
        json.append("\"master_pid\":").append(ProcessHandle.current().pid()).append(',');
        json.append("\"threads\":").append(threads).append(',');
        json.append("\"workers\":").append(workers).append(',');
        json.append("\"preload\":").append(options.preload()).append(',');
        field(json, "module", options.moduleName()).append(',');
        field(json, "callable", options.callableName()).append(',');
        field(json, "wsgi_file", wsgiFile == null ? null : wsgiFile.toString()).append(',');
        field(json, "app_dir", appDir.toString()).append(',');
        PythonOptions.Interface asked = options.appInterface();
        field(json, "interface", asked == null ? null : asked.name().toLowerCase(Locale.ROOT)).append(',');
        json.append("\"concurrency\":").append(options.asgiConcurrency()).append(',');
        if (!direct.listeners().isEmpty()) {
            direct.settings(json.append("\"direct\":")).append(',');
        }
        field(json, "lifespan", options.lifespanMode().name().toLowerCase(Locale.ROOT)).append(',');
        json.append("\"pythonpath\":[");
        for (int i = 0; i < pythonpath.size(); i++) {
            quote(json.append(i > 0 ? "," : ""), pythonpath.get(i).toString());
        }
        return json.append("]}").toString();
    }

    static StringBuilder field(StringBuilder json, String name, String value) {
        quote(json, name).append(':');
        return value == null ? json.append("null") : quote(json, value);
    }

    static StringBuilder quote(StringBuilder json, String s) {
        json.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c < 0x20) {
                json.append(String.format("\\u%04x", (int) c));
            } else {
                json.append(c);
            }
        }
        return json.append('"');
    }
}
