package io.gatehouse.spi.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.config.AppConfig;
import io.gatehouse.config.ConfigLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The command that starts an app's process: prlimit for its limits, setpriv for its user, then the program. */
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
}
