package io.gatehouse.runtime.python;

import io.gatehouse.config.ConfigScope;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Looks for an app's {@code module} where its workers will import it from (pythonpath, the app's directory, then
 * the interpreter's own sys.path), without importing it: the interpreter's path finder searches for the top-level
 * package only, which runs none of the app's code. An app whose module is nowhere is a check error, as a missing
 * wsgi-file is, rather than a worker that fails to start.
 */
final class PythonModuleCheck {

    /** Exits 3 when the path finder finds no such top-level module; any other failure proves nothing. */
    private static final String FIND = "import sys, importlib.machinery as m\n"
            + "sys.exit(0 if m.PathFinder.find_spec(sys.argv[1], sys.argv[2:] + sys.path) else 3)\n";
    private static final int NOT_FOUND = 3;
    private static final long TIMEOUT_SECONDS = 10;

    private PythonModuleCheck() {
    }

    /** Reports at {@code module} when {@code launch}'s interpreter cannot find the module's top-level package. */
    static void check(PythonLaunch launch, ConfigScope module) {
        String name = launch.options().moduleName();
        if (name == null || launch.interpreter() == null || !Files.isExecutable(launch.interpreter())
                || !Files.isDirectory(launch.workDir())) {
            return; // no module, or the interpreter or directory is already reported
        }
        String top = name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
        List<String> command = new ArrayList<>(List.of(launch.interpreter().toString(), "-c", FIND, top));
        launch.pythonpath().forEach(p -> command.add(p.toString()));
        command.add(launch.appDir().toString());
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(launch.workDir().toFile())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            builder.environment().putAll(launch.env());
            Process p = builder.start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            } else if (p.exitValue() == NOT_FOUND) {
                module.error("no module '" + top + "' where the workers import from: " + where(launch));
            }
        } catch (IOException e) {
            // The interpreter could not run: its own check says why.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String where(PythonLaunch launch) {
        List<String> dirs = new ArrayList<>();
        launch.pythonpath().forEach(p -> dirs.add(p.toString()));
        dirs.add(launch.appDir() + " (the app's directory)");
        dirs.add("then " + launch.interpreter() + "'s own sys.path");
        return String.join(", ", dirs);
    }
}
