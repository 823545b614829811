package io.gatehouse.runtime.cgi;

import io.gatehouse.config.AppConfig;
import io.gatehouse.config.ConfigScope;
import io.gatehouse.spi.runtime.AppLauncher;
import io.gatehouse.spi.runtime.AppRuntime;
import io.gatehouse.spi.runtime.RuntimeContext;
import io.gatehouse.spi.runtime.WorkerFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code cgi} runtime (RFC 3875): one process per request, from a directory of scripts or one script, with
 * the request's meta-variables as its environment, the body on its stdin and its output parsed as a CGI response.
 * {@code threads} bounds how many scripts run at once per worker; a script past {@code timeout} (or harakiri) is
 * killed.
 */
public final class CgiRuntime implements AppRuntime<CgiOptions> {

    @Override
    public String name() {
        return "cgi";
    }

    @Override
    public Class<CgiOptions> optionsType() {
        return CgiOptions.class;
    }

    /** Each request runs a script process, which the app's user, group and limits apply to. */
    @Override
    public boolean separateProcesses() {
        return true;
    }

    @Override
    public void validate(CgiOptions options, AppConfig app, ConfigScope where) {
        ConfigScope at = where.pinned(); // reported where the app starts
        if (options.root() != null && !Files.isDirectory(RuntimeContext.resolve(app, options.root()))) {
            at.key("root").error("not a directory: " + RuntimeContext.resolve(app, options.root()));
        }
        if (options.script() != null) {
            Path script = RuntimeContext.resolve(app, options.script());
            if (!Files.isRegularFile(script)) {
                at.key("script").error("no such file: " + script);
            }
        }
        options.interpreters().forEach((ext, interpreter) -> {
            if (!ext.startsWith(".")) {
                at.key("interpreters").error("an extension starts with '.', got '" + ext + "'");
            }
            if (!Files.isExecutable(Path.of(interpreter))) {
                at.key("interpreters").error("not an executable: " + interpreter);
            }
        });
    }

    @Override
    public WorkerFactory prepare(AppConfig app, CgiOptions options, RuntimeContext context) throws IOException {
        CgiScripts scripts = new CgiScripts(app, options, AppLauncher.of(app, context));
        return (id, events) -> new CgiWorker(id, app.threads(), app.name(), scripts, options, events);
    }
}
