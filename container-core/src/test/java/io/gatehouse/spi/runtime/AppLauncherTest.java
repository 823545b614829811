package io.gatehouse.spi.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.config.AppConfig;
import io.gatehouse.config.ConfigLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command that starts an app's process: a join of its cgroup, prlimit for its limits, setpriv for its user,
 * then the program.
 */
class AppLauncherTest {

    static AppConfig app(String keys) {
        return ConfigLoader.parse("apps:\n  - name: a\n    runtime: python\n" + keys.indent(4), Path.of("g.yaml"),
                Map.of()).config().apps().get(0);
    }

    @Test
    void runsTheProgramAsItIsWithoutUserOrLimits() {
        assertEquals(List.of("python3", "w.py"), AppLauncher.of(app("")).command(List.of("python3", "w.py")));
        assertEquals(Map.of(), AppLauncher.of(app("")).userEnvironment());
    }

    @Test
    void putsTheLimitsInFrontWithPrlimit() {
        List<String> cmd = AppLauncher.of(app("limits: {memory: 1GiB, open-files: 100, processes: 20, cpu-time: 1m}"))
                .command(List.of("prog"));
        assertTrue(cmd.get(0).endsWith("/prlimit"), cmd.toString());
        assertEquals(List.of("--as=1073741824", "--nofile=100", "--nproc=20", "--cpu=60:61", "--", "prog"),
                cmd.subList(1, cmd.size()));
    }

    @Test
    void switchesToTheUserWithItsGroupsAndNoCapabilities() {
        Privileges me = Privileges.current();
        String user = me.uid() == 65534 ? "root" : "nobody";
        AppLauncher launcher = AppLauncher.of(app("user: " + user));
        RunAs who = launcher.runAs();
        List<String> cmd = launcher.command(List.of("prog"));
        assertTrue(cmd.get(0).endsWith("/setpriv"), cmd.toString());
        assertEquals(List.of("--reuid=" + who.uid(), "--regid=" + who.gid(), "--init-groups", "--inh-caps=-all",
                "--ambient-caps=-all", "--", "prog"), cmd.subList(1, cmd.size()));
        assertEquals(Map.of("HOME", who.home(), "USER", user, "LOGNAME", user), launcher.userEnvironment());
    }

    @Test
    void aUidWithoutAnEntryGetsNoSupplementaryGroups() {
        List<String> cmd = AppLauncher.of(app("user: 4000123\ngroup: 4000124")).command(List.of("prog"));
        assertEquals(List.of("--reuid=4000123", "--regid=4000124", "--clear-groups", "--inh-caps=-all",
                "--ambient-caps=-all", "--", "prog"), cmd.subList(1, cmd.size()));
    }

    @Test
    void needsNoSwitchForTheMastersOwnUser() {
        Privileges me = Privileges.current();
        AppLauncher launcher = AppLauncher.of(app("user: \"" + me.uid() + "\"\ngroup: \"" + me.gid() + "\""));
        assertEquals(List.of("prog"), launcher.command(List.of("prog")));
    }

    @Test
    void joinsTheAppsCgroupFirstAsTheMastersUser() throws Exception {
        Path procs = Path.of("/sys/fs/cgroup/gatehouse.service/app-a/cgroup.procs");
        AppLauncher launcher = AppLauncher.of(app("limits: {open-files: 100}"), new RuntimeContext(null, null,
                a -> procs));
        assertEquals(procs, launcher.cgroupProcs());
        List<String> cmd = launcher.command(List.of("prog"));
        assertEquals(List.of("/bin/sh", "-c", AppLauncher.JOIN_CGROUP, "gatehouse-cgroup", procs.toString()),
                cmd.subList(0, 5));
        assertTrue(cmd.get(5).endsWith("/prlimit"), cmd.toString());
        assertEquals(List.of("prog"), AppLauncher.of(app(""), new RuntimeContext(null, null)).command(List.of("prog")));
    }

    @Test
    void theJoinWritesTheProcessesOwnPidThenBecomesTheProgram(@TempDir Path dir) throws Exception {
        Path procs = Files.writeString(dir.resolve("cgroup.procs"), "");
        List<String> cmd = AppLauncher.of(app(""), new RuntimeContext(null, dir, a -> procs))
                .command(List.of("sh", "-c", "echo $$; echo \"$0\"", "prog"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor());
        assertEquals(p.pid() + "\nprog\n", out, "the program runs in the process that joined, with its own argv");
        assertEquals(Long.toString(p.pid()), Files.readString(procs).strip());
    }

    @Test
    void aCgroupThatCannotBeJoinedStopsTheProgramFromRunning(@TempDir Path dir) throws Exception {
        Path procs = dir.resolve("gone/cgroup.procs");
        List<String> cmd = AppLauncher.of(app(""), new RuntimeContext(null, dir, a -> procs))
                .command(List.of("sh", "-c", "echo ran"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(126, p.waitFor(), out);
        assertTrue(out.contains(procs.toString()) && !out.contains("ran"), out);
    }
}
