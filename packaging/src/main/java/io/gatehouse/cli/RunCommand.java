package io.gatehouse.cli;

import io.gatehouse.config.ConfigError;
import io.gatehouse.config.ConfigException;
import io.gatehouse.config.LoggingConfig;
import io.gatehouse.core.log.LogSetup;
import io.gatehouse.core.master.Master;
import io.gatehouse.core.master.ResolvedConfig;
import io.gatehouse.core.protocol.ProtocolCatalog;
import io.gatehouse.core.runtime.RuntimeCatalog;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code gatehouse run -c FILE}: serves a config in the foreground until a signal stops it. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Serve the apps of a config in the foreground. SIGTERM drains in-flight requests and exits 0; "
                + "SIGINT and SIGQUIT stop at once; SIGHUP reloads the config; SIGUSR1 reopens the log files.")
final class RunCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        ProtocolCatalog protocols = ProtocolCatalog.load();
        RuntimeCatalog runtimes = RuntimeCatalog.load();
        ResolvedConfig resolved;
        try {
            resolved = config.resolve(protocols, runtimes);
        } catch (ConfigException e) {
            for (ConfigError error : e.errors()) {
                err.println(error);
            }
            err.flush();
            return Gatehouse.EXIT_CONFIG;
        }
        LoggingConfig logging = resolved.config().logging();
        LogSetup.configure(logging.level(), logging.errorLog());
        Master master = new Master(resolved, protocols, runtimes);
        try {
            master.boot();
        } catch (IOException e) {
            err.println("gatehouse: " + e.getMessage());
            err.flush();
            return Gatehouse.EXIT_FAILURE;
        }
        return master.run();
    }
}
