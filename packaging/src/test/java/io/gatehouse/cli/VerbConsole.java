package io.gatehouse.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import picocli.CommandLine;

/** The gatehouse command line run in-process, as the launcher runs it, with what it prints kept for the test. */
final class VerbConsole {
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    /** Runs the command line and returns its exit status. */
    int execute(String... args) {
        CommandLine cli = Gatehouse.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    List<String> errLines() {
        return err.toString().lines().toList();
    }
}
