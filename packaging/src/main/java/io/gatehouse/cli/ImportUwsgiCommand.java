package io.gatehouse.cli;

import io.gatehouse.cli.uwsgi.ImportNote;
import io.gatehouse.cli.uwsgi.UwsgiFormatException;
import io.gatehouse.cli.uwsgi.UwsgiImport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code gatehouse import-uwsgi FILE}: converts a uWSGI config (ini or YAML) into Gatehouse YAML. */
@Command(name = "import-uwsgi", mixinStandardHelpOptions = true,
        description = "Convert a uWSGI config (.ini, or .yaml/.yml/.json) into a Gatehouse config on stdout (or -o "
                + "FILE). Each key it writes has a comment naming the uWSGI option it comes from; the options that "
                + "need no key, and those with no equivalent (with what to do instead), are listed at the end, and "
                + "the latter on stderr too. FILE:SECTION reads another section than [uwsgi], as uWSGI does.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:converted, every option mapped (or needing no key)",
            "1:converted, but some options have no equivalent (listed on stderr and at the end of the output)",
            "2:the uWSGI config cannot be read or parsed (file:line: message)",
            "64:the command line is wrong"})
final class ImportUwsgiCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE[:SECTION]", description = "The uWSGI config, and the section to read (uwsgi).")
    String source;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the Gatehouse config here.")
    Path output;

    @Option(names = "--apps-dir", description = "Write a file for an apps-dir (only listeners: and apps:); the "
            + "server-wide settings (master:, logging:, stats:) are written commented out, to move into the main "
            + "config.")
    boolean forAppsDir;

    @Option(names = "--section", paramLabel = "NAME", description = "The section to read (default: uwsgi, or the "
            + "one after FILE:).")
    String section;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Path file = Path.of(source);
        String wanted = section != null ? section : "uwsgi";
        int colon = source.lastIndexOf(':');
        if (!Files.exists(file) && colon > 0 && colon < source.length() - 1) {
            file = Path.of(source.substring(0, colon));
            wanted = section != null ? section : source.substring(colon + 1);
        }
        UwsgiImport.Result result;
        try {
            result = UwsgiImport.convert(file, wanted, forAppsDir);
        } catch (UwsgiFormatException e) {
            throw VerbFailure.of(Gatehouse.EXIT_CONFIG, e.getMessage());
        }
        if (output != null) {
            Files.writeString(output, result.yaml(), StandardCharsets.UTF_8);
        } else {
            PrintWriter out = spec.commandLine().getOut();
            out.print(result.yaml());
            out.flush();
        }
        PrintWriter err = spec.commandLine().getErr();
        for (ImportNote n : result.unmapped()) {
            err.println("gatehouse: " + n);
        }
        err.flush();
        return result.unmapped().isEmpty() ? 0 : Gatehouse.EXIT_FAILURE;
    }
}
