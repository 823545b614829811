package io.gatehouse.runtime.python;

import io.gatehouse.config.AppConfig;
import io.gatehouse.config.ConfigScope;
import io.gatehouse.spi.runtime.AppLauncher;
import io.gatehouse.spi.runtime.AppRuntime;
import io.gatehouse.spi.runtime.RuntimeContext;
import io.gatehouse.spi.runtime.WorkerFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code python} runtime: PEP 3333 (WSGI) and ASGI apps in CPython worker processes, forked by a per-app fork
 * server (which imports the app first when {@code preload} is on) and bridged to the exchanges over a private unix
 * socket with the protocol of docs/worker-protocol.md.
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

    /** Its workers are CPython processes, which the app's user, group and limits apply to. */
    @Override
    public boolean separateProcesses() {
        return true;
    }

    @Override
    public void validate(PythonOptions options, AppConfig app, ConfigScope where) {
        if (options.wsgiFile() != null) {
            Path file = RuntimeContext.resolve(app, options.wsgiFile());
            if (!Files.isRegularFile(file)) {
                where.key("wsgi-file").error("no such file: " + file);
            }
        }
        if (options.chdir() != null) {
            Path dir = RuntimeContext.resolve(app, options.chdir());
            if (!Files.isDirectory(dir)) {
                where.key("chdir").error("no such directory: " + dir);
            }
        }
        for (int i = 0; i < options.pythonpath().size(); i++) {
            Path entry = RuntimeContext.resolve(app, options.pythonpath().get(i));
            if (!Files.exists(entry)) {
                where.key("pythonpath").item(i).error("no such file or directory: " + entry);
            }
        }
        if (options.appInterface() == PythonOptions.Interface.ASGI && app.threads() > 1) {
            where.key("threads").error("is for WSGI apps; an ASGI worker runs one event loop, with up to "
                    + "'concurrency' requests at once");
        }
        checkInterpreter(options, app, where);
        PythonModuleCheck.check(PythonLaunch.of(app, options), where.key("module"));
    }

    private static void checkInterpreter(PythonOptions options, AppConfig app, ConfigScope where) {
        Path interpreter = PythonLaunch.interpreter(app, options);
        if (options.home() != null) {
            Path home = RuntimeContext.resolve(app, options.home());
            if (!Files.isDirectory(home)) {
                where.key("home").error("no such directory: " + home);
            } else if (!Files.isExecutable(interpreter)) {
                where.key("home").error("not a virtualenv: " + interpreter + " is missing");
            }
        } else if (interpreter == null) {
            String command = options.python() != null ? options.python() : PythonOptions.DEFAULT_PYTHON;
            where.key("python").error("no '" + command + "' on PATH" + (options.python() == null
                    ? "; set python: to an interpreter's path, or home: to a virtualenv" : ""));
        } else if (!Files.isRegularFile(interpreter) || !Files.isExecutable(interpreter)) {
            where.key("python").error("not an executable file: " + interpreter);
        }
    }

    @Override
    public WorkerFactory prepare(AppConfig app, PythonOptions options, RuntimeContext context) throws Exception {
        PythonLaunch launch = PythonLaunch.of(app, options, AppLauncher.of(app, context));
        if (launch.interpreter() == null) {
            throw new IllegalStateException("no Python interpreter found for app '" + app.name() + "'");
        }
        return PythonWorkerFactory.open(app, launch, context);
    }
}
