package io.gatehouse.cli;

import io.gatehouse.config.LoggingConfig;
import io.gatehouse.core.log.LogSetup;
import io.gatehouse.core.master.Master;
import io.gatehouse.core.master.ResolvedConfig;
import io.gatehouse.core.protocol.ProtocolCatalog;
import io.gatehouse.core.runtime.RuntimeCatalog;
import io.gatehouse.spi.runtime.Privileges;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code gatehouse run -c FILE}: serves a config in the foreground until a signal stops it. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Serve the apps of a config in the foreground. SIGTERM drains in-flight requests and exits 0; "
                + "SIGINT stops at once; SIGHUP reloads the config; SIGUSR1 reopens the log files. SIGQUIT stays "
                + "the JVM's: it prints a thread dump to stderr and stops nothing.")
final class RunCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    /** Serves until stopped; a socket that cannot be bound or a file that cannot be opened fails it with status 1. */
    @Override
    public Integer call() throws IOException {
        ProtocolCatalog protocols = ProtocolCatalog.load();
        RuntimeCatalog runtimes = RuntimeCatalog.load();
        ResolvedConfig resolved = config.resolve(protocols, runtimes, Privileges.current());
        LoggingConfig logging = resolved.config().logging();
        LogSetup.configure(logging.level(), logging.errorLog(), logging.repeatLimit());
        resolved.logWarnings();
        Master master = new Master(resolved, protocols, runtimes);
        master.boot();
        return master.run();
    }
}
