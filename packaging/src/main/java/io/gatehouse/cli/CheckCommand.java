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
        description = "Check a config, the files of its apps-dir, and what run would open (files, directories, "
                + "sockets): print a summary of its listeners and apps and exit 0, or print every error "
                + "(file:line:col: key: message) and exit 2. Warnings (file:line:col: warning: key: message) go to "
                + "stderr and leave the exit status 0.")
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
        if (!resolved.refusals().isEmpty()) {
            // run would start without these files' apps and say so; check says it as errors.
            throw VerbFailure.configErrors(config.file, resolved.refusals(),
                    resolved.warnings().stream().map(w -> w.asWarning()).toList());
        }
        resolved.warnings().forEach(w -> err.println(w.asWarning()));
        err.flush();
        out.println(config.file + ": OK" + (resolved.warnings().isEmpty() ? ""
                : ", with " + VerbFailure.count(resolved.warnings().size(), "warning")));
        if (resolved.config().appsDir() != null) {
            out.println("apps-dir " + resolved.config().appsDir() + ": " + resolved.appsFiles().size() + " file(s)");
        }
        out.println("listeners:");
        for (ResolvedConfig.ResolvedListener l : resolved.listeners()) {
            out.println("  " + l.config().displayName() + ": " + l.config().protocol() + " on " + l.config().bind());
        }
        out.println("apps:");
        for (ResolvedConfig.ResolvedApp a : resolved.apps()) {
            out.println("  " + a.config().name() + ": " + a.config().runtime() + " at " + a.config().mount()
                    + (a.config().hosts().isEmpty() ? "" : " on " + String.join(", ", a.config().hosts()))
                    + ", " + a.config().workers() + " worker(s) x " + a.config().threads() + " thread(s)"
                    + (a.config().user() == null ? "" : ", as " + a.config().user()
                            + (a.config().group() == null ? "" : ":" + a.config().group()))
                    + (a.config().cgroup() == null || a.config().cgroup().none() ? "" : ", cgroup "
                            + a.config().cgroup() + " (run needs its cgroup delegated: systemd's Delegate=yes)")
                    + (a.config().origin() != null && resolved.appsFiles().containsKey(a.config().origin().file())
                            ? " (from " + a.config().origin().file() + ")" : ""));
        }
        out.flush();
        return 0;
    }
}
