package io.gatehouse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every verb's failures go through one handler: the lines on stderr and the exit status the docs give. */
class FailureHandlerTest {
    @TempDir
    Path dir;
    final VerbConsole cli = new VerbConsole();
    final StringWriter out = cli.out;
    final StringWriter err = cli.err;

    int execute(String... args) {
        return cli.execute(args);
    }

    List<String> errLines() {
        return cli.errLines();
    }

    @Test
    void configErrorsAreEachPrintedWithACountAndExit2ForEveryVerbThatReadsAConfig() throws Exception {
        Path file = Files.writeString(dir.resolve("bad.yaml"), "master: {pidfil: /tmp/g.pid}\n"
                + "listeners: [{protocol: http, bind: '127.0.0.1:8080'}]\n");
        String expected = file + ":1:10: master.pidfil: unknown key (did you mean 'pidfile'?)";
        for (String verb : List.of("check", "run", "reload", "stop", "status")) {
            err.getBuffer().setLength(0);
            assertEquals(Gatehouse.EXIT_CONFIG, execute(verb, "-c", file.toString()), verb + ": " + err);
            assertEquals(List.of(expected, "1 error in " + file), errLines(), verb);
        }
    }

    @Test
    void aConfigWithoutAControlSocketIsOneLineAndExit2() throws Exception {
        Path file = Files.writeString(dir.resolve("g.yaml"), "listeners: []\n");
        assertEquals(Gatehouse.EXIT_CONFIG, execute("reload", "-c", file.toString()));
        assertEquals(List.of("gatehouse: " + file + " sets no master.control-socket; add one (and reload or restart), "
                + "or signal the master instead (kill -HUP/-TERM PID)"), errLines());
    }

    @Test
    void noMasterOnTheSocketIsOneLineAndExit3() {
        Path socket = dir.resolve("none.sock");
        assertEquals(Gatehouse.EXIT_NOT_RUNNING, execute("status", "-s", socket.toString()));
        assertEquals(1, errLines().size(), err.toString());
        assertTrue(errLines().get(0).startsWith("gatehouse: no gatehouse master answers at " + socket), err.toString());
    }

    @Test
    void anUnknownOptionNamesItAndTheHelpAndExits64() {
        assertEquals(Gatehouse.EXIT_USAGE, execute("stop", "--soon", "-s", "x.sock"));
        assertEquals(List.of("gatehouse: Unknown option: '--soon'", "Try 'gatehouse stop --help' for more information."),
                errLines());
    }

    @Test
    void runHelpSaysWhatEachSignalDoesAndThatSigquitIsTheJvmsThreadDump() {
        assertEquals(0, execute("run", "--help"));
        String help = out.toString().replaceAll("\\s+", " ");
        assertTrue(help.contains("SIGINT stops at once"), help);
        assertTrue(help.contains("SIGQUIT stays the JVM's: it prints a thread dump to stderr and stops nothing"), help);
        assertFalse(help.contains("SIGQUIT stop"), help);
    }
}
