package io.gatehouse.tests.privileges;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.gatehouse.tests.support.Command;
import io.gatehouse.tests.support.Distribution;
import io.gatehouse.tests.support.GatehouseProcess;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An app's {@code cgroup} keys on this machine, outside any service: {@code run} refuses them with the reason and
 * {@code Delegate=yes}, never starting without the limits; {@code check} reports what the system lacks, or notes
 * what the keys need. Which reason depends on the machine: a cgroup v1 or hybrid one (the controllers are not in
 * cgroup v2 at all) or a unified one (the shell's cgroup is not delegated); each is asserted where it holds.
 */
class CgroupRefusalTest {
    static final String NEEDS = "cgroup limits need a cgroup v2 tree delegated to gatehouse (systemd: Delegate=yes";

    @TempDir
    Path dir;
    Path config;

    @BeforeEach
    void writeConfig() throws Exception {
        Files.createDirectories(dir.resolve("cgi"));
        config = GatehouseProcess.write(dir, "g.yaml", """
                listeners:
                  - {name: web, protocol: http, bind: "127.0.0.1:0"}
                apps:
                  - name: scripts
                    runtime: cgi
                    root: %s
                    cgroup: {memory-max: 64MiB}
                """.formatted(dir.resolve("cgi")));
    }

    /** Where the memory controller is bound to a cgroup v1 hierarchy, from /proc/self/mountinfo. */
    static String memoryOnV1() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] f = line.split(" - ");
            if (f.length == 2 && f[1].startsWith("cgroup ") && List.of(f[1].split(" ")[2].split(","))
                    .contains("memory")) {
                return f[0].split(" ")[4];
            }
        }
        return null;
    }

    Command.Result gatehouse(String verb) {
        return Command.run(List.of(Distribution.launcher().toString(), verb, "-c", config.toString()),
                Duration.ofSeconds(60));
    }

    @Test
    void runRefusesTheKeysWithTheReasonAndDelegateYes() throws Exception {
        String v1 = memoryOnV1();
        String own = Files.readAllLines(Path.of("/proc/self/cgroup")).stream().filter(l -> l.startsWith("0::"))
                .findFirst().orElse("0::/").substring(3);
        assumeFalse(v1 == null && delegated(Path.of("/sys/fs/cgroup" + own)),
                "this test runs in a delegated cgroup, where the keys apply");
        Command.Result run = gatehouse("run");
        assertEquals(2, run.status(), run.output());
        if (v1 != null) {
            assertTrue(run.output().contains("g.yaml:7:26: apps[0].cgroup.memory-max: needs cgroup v2's memory "
                    + "controller, but the memory controller is in a cgroup v1 hierarchy (" + v1 + ")"),
                    run.output());
        } else if (!Files.readString(Path.of("/sys/fs/cgroup/cgroup.controllers")).contains("memory")) {
            assertTrue(run.output().contains("g.yaml:7:26: apps[0].cgroup.memory-max: needs cgroup v2's memory "
                    + "controller, but cgroup v2 offers no memory controller here"), run.output());
        } else {
            assertTrue(run.output().contains("g.yaml:7:13: apps[0].cgroup: gatehouse's cgroup " + own
                    + " is not delegated to it; "), run.output());
        }
        assertTrue(run.output().contains(NEEDS), run.output());
    }

    /** Whether systemd marked {@code cgroup} as delegated (user.delegate=1). */
    static boolean delegated(Path cgroup) {
        try {
            UserDefinedFileAttributeView view = Files.getFileAttributeView(cgroup,
                    UserDefinedFileAttributeView.class);
            ByteBuffer value = ByteBuffer.allocate(8);
            view.read("delegate", value);
            return new String(value.array(), 0, value.position(), StandardCharsets.US_ASCII).equals("1");
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    @Test
    void checkReportsWhatTheSystemLacksOrNotesWhatTheKeysNeed() throws Exception {
        Command.Result check = gatehouse("check");
        if (memoryOnV1() != null) {
            assertEquals(2, check.status(), check.output());
            assertTrue(check.output().contains("apps[0].cgroup.memory-max: needs cgroup v2's memory controller"),
                    check.output());
            assertTrue(check.output().contains(NEEDS), check.output());
        } else if (!Files.readString(Path.of("/sys/fs/cgroup/cgroup.controllers")).contains("memory")) {
            assertEquals(2, check.status(), check.output());
            assertTrue(check.output().contains("cgroup v2 offers no memory controller here"), check.output());
        } else {
            assertEquals(0, check.status(), check.output());
            assertTrue(check.output().contains("scripts: cgi at /, 1 worker(s) x 1 thread(s), cgroup "
                    + "{memory-max: 64MiB} (run needs its cgroup delegated: systemd's Delegate=yes)"), check.output());
        }
    }
}
