package io.gatehouse.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What the verbs that talk to a running master share: finding its socket, and printing where picocli says. */
abstract class ControlVerb implements Callable<Integer> {
    @Mixin
    ControlSocketOption socket;

    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() throws Exception {
        return run(spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    /** Runs the verb; a failure is thrown as a {@link VerbFailure}, which {@link FailureHandler} prints. */
    abstract int run(PrintWriter out, PrintWriter err) throws Exception;
}
