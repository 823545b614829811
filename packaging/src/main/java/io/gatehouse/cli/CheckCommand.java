package io.gatehouse.cli;

import io.gatehouse.core.master.ResolvedConfig;
import io.gatehouse.core.protocol.ProtocolCatalog;
import io.gatehouse.core.runtime.RuntimeCatalog;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code gatehouse check -c FILE}: validates a config without starting anything. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Check a config, and what run would open (files, directories, sockets): print a summary of its "
                + "listeners and apps and exit 0, or print every error (file:line:col: key: message) and exit 2. "
                + "Warnings (file:line:col: warning: key: message) go to stderr and leave the exit status 0.")
final class CheckCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ResolvedConfig resolved = config.resolve(ProtocolCatalog.load(), RuntimeCatalog.load());
        PrintWriter err = spec.commandLine().getErr();
        resolved.warnings().forEach(w -> err.println(w.asWarning()));
        err.flush();
        out.println(config.file + ": OK" + (resolved.warnings().isEmpty() ? ""
                : ", with " + VerbFailure.count(resolved.warnings().size(), "warning")));
        out.println("listeners:");
        for (ResolvedConfig.ResolvedListener l : resolved.listeners()) {
            out.println("  " + l.config().displayName() + ": " + l.config().protocol() + " on " + l.config().bind());
        }
        out.println("apps:");
        for (ResolvedConfig.ResolvedApp a : resolved.apps()) {
            out.println("  " + a.config().name() + ": " + a.config().runtime() + " at " + a.config().mount()
                    + (a.config().hosts().isEmpty() ? "" : " on " + String.join(", ", a.config().hosts()))
                    + ", " + a.config().workers() + " worker(s) x " + a.config().threads() + " thread(s)");
        }
        out.flush();
        return 0;
    }
}
