package io.gatehouse.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The one place failures become output: a {@link VerbFailure} prints its lines and exits with its status; any
 * other exception prints one line and exits 1; a wrong command line prints what is wrong and exits 64.
 */
final class FailureHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {

    @Override
    public int handleExecutionException(Exception e, CommandLine command, ParseResult parsed) {
        VerbFailure failure = e instanceof VerbFailure f ? f
                : VerbFailure.of(Gatehouse.EXIT_FAILURE, e.getMessage() != null ? e.getMessage() : e.toString());
        PrintWriter err = command.getErr();
        failure.lines().forEach(err::println);
        err.flush();
        return failure.exitStatus();
    }

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        err.println("gatehouse: " + e.getMessage());
        err.println("Try 'gatehouse " + (command.getCommandName().equals("gatehouse") ? ""
                : command.getCommandName() + " ") + "--help' for more information.");
        err.flush();
        return Gatehouse.EXIT_USAGE;
    }
}
