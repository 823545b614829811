package io.gatehouse.tests.privileges;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.tests.support.Command;
import io.gatehouse.tests.support.Distribution;
import io.gatehouse.tests.support.GatehouseProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An unprivileged {@code gatehouse}: {@code run} on a port under 1024 fails with the three ways out, and
 * {@code check} accepts users it could not switch to. As root the commands run as nobody (through setpriv).
 */
class LowPortTest {
    @TempDir
    Path dir;
    List<String> asUnprivileged;

    @BeforeEach
    void unprivileged() throws Exception {
        boolean root = Command.run(List.of("id", "-u"), Duration.ofSeconds(10)).output().strip().equals("0");
        asUnprivileged = root ? PrivilegeApps.AS_NOBODY : List.of();
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        PrivilegeApps.assumeRunnableBy(asUnprivileged);
    }

    Command.Result gatehouse(String verb, String yaml) throws Exception {
        Path config = GatehouseProcess.write(dir, "g.yaml", yaml);
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r--r--"));
        List<String> cmd = new ArrayList<>(asUnprivileged);
        cmd.addAll(List.of(Distribution.launcher().toString(), verb, "-c", config.toString()));
        return Command.run(cmd, Duration.ofSeconds(60));
    }

    @Test
    void runOnAPortUnder1024NamesTheCapabilityTheUnitSettingAndSocketActivation() throws Exception {
        Command.Result r = gatehouse("run", """
                listeners:
                  - name: web
                    protocol: http
                    bind: 127.0.0.1:80
                """);
        assertEquals(1, r.status(), r.output());
        assertTrue(r.output().contains("listener web: cannot bind 127.0.0.1:80"), r.output());
        assertTrue(r.output().contains("need CAP_NET_BIND_SERVICE"), r.output());
        assertTrue(r.output().contains("AmbientCapabilities=CAP_NET_BIND_SERVICE"), r.output());
        assertTrue(r.output().contains("socket activation: bind: systemd:NAME"), r.output());
    }

    @Test
    void checkNeedsNoPrivilegeForAnotherUserButRunRefusesIt() throws Exception {
        String yaml = """
                listeners:
                  - name: web
                    protocol: http
                    bind: 127.0.0.1:0
                apps:
                  - name: cgi
                    runtime: cgi
                    mount: /
                    root: %s
                    user: root
                """.formatted(dir);
        Command.Result check = gatehouse("check", yaml);
        assertEquals(0, check.status(), check.output());
        assertTrue(check.output().contains("as root"), check.output());
        Command.Result run = gatehouse("run", yaml);
        assertEquals(2, run.status(), run.output());
        assertTrue(run.output().contains("g.yaml:10:11: apps[0].user: starting the app as root (uid 0, gid 0) needs "
                + "root or CAP_SETUID CAP_SETGID CAP_CHOWN CAP_KILL"), run.output());
    }
}
