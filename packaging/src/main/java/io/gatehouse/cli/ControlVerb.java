package io.gatehouse.cli;

import io.gatehouse.config.ConfigError;
import io.gatehouse.config.ConfigException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What the verbs that talk to a running master share: finding the socket, and mapping failures to exit codes. */
abstract class ControlVerb implements Callable<Integer> {
    @Mixin
    ControlSocketOption socket;

    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        try {
            return run(spec.commandLine().getOut(), err);
        } catch (ConfigException e) {
            for (ConfigError error : e.errors()) {
                err.println(error);
            }
            err.flush();
            return Gatehouse.EXIT_CONFIG;
        } catch (ControlSocketOption.NoSocket e) {
            err.println("gatehouse: " + e.getMessage());
            err.flush();
            return Gatehouse.EXIT_CONFIG;
        } catch (ControlClient.NotRunning e) {
            err.println("gatehouse: " + e.getMessage());
            err.flush();
            return Gatehouse.EXIT_NOT_RUNNING;
        }
    }

    abstract int run(PrintWriter out, PrintWriter err) throws Exception;
}
