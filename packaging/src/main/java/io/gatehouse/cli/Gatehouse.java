package io.gatehouse.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code gatehouse} command: its verbs are subcommands, one class each. */
@Command(name = "gatehouse", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "A multi-protocol application container: uwsgi, SCGI, FastCGI, AJP13 and HTTP in front of "
                + "supervised WSGI, JVM, CGI and static apps.",
        subcommands = {RunCommand.class, CheckCommand.class, ReloadCommand.class, StopCommand.class,
            StatusCommand.class, ImportUwsgiCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success (and a clean stop after SIGTERM)",
            "1:the server could not start (a socket in use, an unreadable file)",
            "2:the config has errors (each printed as file:line:col: key: message); a reload was refused",
            "3:no master answers on the control socket (reload, stop, status)",
            "64:the command line is wrong"})
public final class Gatehouse {
    /** Exit status: the server failed to start. */
    static final int EXIT_FAILURE = 1;
    /** Exit status: the config has errors. */
    static final int EXIT_CONFIG = 2;
    /** Exit status: no master runs at the control socket (as LSB's status uses 3 for "not running"). */
    static final int EXIT_NOT_RUNNING = 3;
    /** Exit status: a usage error (EX_USAGE). */
    static final int EXIT_USAGE = 64;

    private Gatehouse() {
    }

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with Gatehouse's exit codes and error handling, for main and tests. */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Gatehouse());
        FailureHandler failures = new FailureHandler();
        cli.setExitCodeExceptionMapper(e -> EXIT_FAILURE);
        cli.setParameterExceptionHandler(failures);
        cli.setExecutionExceptionHandler(failures);
        return cli;
    }
}
