package io.gatehouse.runtime.python;

import io.gatehouse.config.AppConfig;
import io.gatehouse.config.ConfigNode;
import io.gatehouse.config.ListNode;
import io.gatehouse.config.Location;
import io.gatehouse.config.MapNode;
import io.gatehouse.config.Problems;
import io.gatehouse.spi.runtime.AppRuntime;
import io.gatehouse.spi.runtime.RuntimeContext;
import io.gatehouse.spi.runtime.WorkerFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code python} runtime: PEP 3333 apps in CPython worker processes, forked by a per-app fork server (which
 * imports the app first when {@code preload} is on) and bridged to the exchanges over a private unix socket with
 * the protocol of docs/worker-protocol.md.
 */
public final class PythonRuntime implements AppRuntime<PythonOptions> {

    @Override
    public String name() {
        return "python";
    }

    @Override
    public Class<PythonOptions> optionsType() {
        return PythonOptions.class;
    }

    @Override
    public void validate(PythonOptions options, AppConfig app, String path, Problems problems) {
        if (options.wsgiFile() != null) {
            Path file = RuntimeContext.resolve(app, options.wsgiFile());
            if (!Files.isRegularFile(file)) {
                problems.add(at(app, "wsgi-file"), path + ".wsgi-file", "no such file: " + file);
            }
        }
        if (options.chdir() != null) {
            Path dir = RuntimeContext.resolve(app, options.chdir());
            if (!Files.isDirectory(dir)) {
                problems.add(at(app, "chdir"), path + ".chdir", "no such directory: " + dir);
            }
        }
        for (int i = 0; i < options.pythonpath().size(); i++) {
            Path entry = RuntimeContext.resolve(app, options.pythonpath().get(i));
            if (!Files.exists(entry)) {
                problems.add(item(app, "pythonpath", i), path + ".pythonpath[" + i + "]",
                        "no such file or directory: " + entry);
            }
        }
        checkInterpreter(options, app, path, problems);
    }

    private static void checkInterpreter(PythonOptions options, AppConfig app, String path, Problems problems) {
        Path interpreter = PythonLaunch.interpreter(app, options);
        if (options.home() != null) {
            Path home = RuntimeContext.resolve(app, options.home());
            if (!Files.isDirectory(home)) {
                problems.add(at(app, "home"), path + ".home", "no such directory: " + home);
            } else if (!Files.isExecutable(interpreter)) {
                problems.add(at(app, "home"), path + ".home", "not a virtualenv: " + interpreter + " is missing");
            }
        } else if (interpreter == null) {
            String command = options.python() != null ? options.python() : PythonOptions.DEFAULT_PYTHON;
            problems.add(at(app, "python"), path + ".python", "no '" + command + "' on PATH"
                    + (options.python() == null ? "; set python: to an interpreter's path, or home: to a virtualenv"
                    : ""));
        } else if (!Files.isRegularFile(interpreter) || !Files.isExecutable(interpreter)) {
            problems.add(at(app, "python"), path + ".python", "not an executable file: " + interpreter);
        }
    }

    @Override
    public WorkerFactory prepare(AppConfig app, PythonOptions options, RuntimeContext context) throws Exception {
        PythonLaunch launch = PythonLaunch.of(app, options);
        if (launch.interpreter() == null) {
            throw new IllegalStateException("no Python interpreter found for app '" + app.name() + "'");
        }
        return PythonWorkerFactory.open(app, launch, context);
    }

    /** Where {@code key} was written in the app's mapping, or the app itself when it was not. */
    private static Location at(AppConfig app, String key) {
        MapNode.Entry entry = app.options() == null ? null : app.options().entry(key);
        return entry != null ? entry.value().location() : app.origin();
    }

    private static Location item(AppConfig app, String key, int index) {
        MapNode.Entry entry = app.options() == null ? null : app.options().entry(key);
        if (entry != null && entry.value() instanceof ListNode list && index < list.items().size()) {
            ConfigNode node = list.items().get(index);
            return node.location();
        }
        return at(app, key);
    }
}
