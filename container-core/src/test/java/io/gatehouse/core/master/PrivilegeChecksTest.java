package io.gatehouse.core.master;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gatehouse.config.AppConfig;
import io.gatehouse.config.ConfigError;
import io.gatehouse.config.ConfigException;
import io.gatehouse.core.protocol.ProtocolCatalog;
import io.gatehouse.core.runtime.RuntimeCatalog;
import io.gatehouse.spi.runtime.AppRuntime;
import io.gatehouse.spi.runtime.Privileges;
import io.gatehouse.spi.runtime.RuntimeContext;
import io.gatehouse.spi.runtime.WorkerFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** user, group and limits checked against the runtime, the user database, master.user and the master's rights. */
class PrivilegeChecksTest {
    static final Privileges NOBODY = new Privileges(65534, 65534, 0);
    static final Privileges ROOT = new Privileges(0, 0, -1L);

    @TempDir
    Path dir;

    /** A runtime whose apps run in processes of their own, as python and cgi do. */
    static final class ProcessRuntime implements AppRuntime<ProcessRuntime.Options> {
        record Options() {
        }

        @Override
        public String name() {
            return "proc";
        }

        @Override
        public Class<Options> optionsType() {
            return Options.class;
        }

        @Override
        public boolean separateProcesses() {
            return true;
        }

        @Override
        public WorkerFactory prepare(AppConfig app, Options options, RuntimeContext context) {
            throw new UnsupportedOperationException("never started here");
        }
    }

    List<String> errors(String apps, Privileges running) throws Exception {
        return errors("", apps, running);
    }

    List<String> errors(String master, String apps, Privileges running) throws Exception {
        Path file = dir.resolve("g.yaml");
        Files.writeString(file, master + "listeners:\n  - {protocol: http, bind: '127.0.0.1:8080'}\napps:\n" + apps);
        try {
            ResolvedConfig.load(file, ProtocolCatalog.of(new ReloadPlanTest.PlainProtocol()),
                    RuntimeCatalog.of(new ReloadPlanTest.ClassRuntime(), new ProcessRuntime()), running);
            return List.of();
        } catch (ConfigException e) {
            return e.errors().stream().map(ConfigError::toString).map(s -> s.substring(s.indexOf("g.yaml"))).toList();
        }
    }

    static String proc(String name, String extra) {
        return "  - name: " + name + "\n    runtime: proc\n    mount: /" + name + "\n" + extra;
    }

    @Test
    void refusesUserGroupAndLimitsOnAnAppThatRunsInsideTheMaster() throws Exception {
        List<String> e = errors("  - name: j\n    runtime: jvm\n    class: x.App\n    user: nobody\n"
                + "    group: nogroup\n    limits: {open-files: 100}\n", null);
        assertEquals(3, e.size(), e.toString());
        assertEquals("g.yaml:7:11: apps[0].user: a jvm app runs inside the master, so it cannot run as another "
                + "user; set master.user to run the whole server as that user", e.get(0));
        assertEquals("g.yaml:8:12: apps[0].group: a jvm app runs inside the master, so it cannot run as another "
                + "group; set master.group", e.get(1));
        assertEquals("g.yaml:9:13: apps[0].limits: a jvm app runs inside the master, so the master's own limits "
                + "apply (systemd: LimitNOFILE=, LimitAS=...)", e.get(2));
    }

    @Test
    void reportsUnknownUsersAndGroupsWhereTheyAreWritten() throws Exception {
        assertEquals(List.of("g.yaml:7:11: apps[0].user: no user 'no-such-user' in the user database (getent "
                + "passwd no-such-user)"), errors(proc("a", "    user: no-such-user\n"), null));
        assertEquals(List.of("g.yaml:8:12: apps[0].group: no group 'no-such-group' in the group database (getent "
                + "group no-such-group)"), errors(proc("a", "    user: nobody\n    group: no-such-group\n"), null));
        assertEquals(List.of("g.yaml:7:11: apps[0].user: uid 4000123 has no entry in the user database, so no "
                + "primary group: give group: too"), errors(proc("a", "    user: 4000123\n"), null));
        assertEquals(List.of(), errors(proc("a", "    user: 4000123\n    group: 4000123\n"), null));
        assertEquals(List.of("g.yaml:7:12: apps[0].group: needs user: an app runs as a user and its group"),
                errors(proc("a", "    group: nogroup\n"), null));
    }

    @Test
    void checkNeedsNoPrivilegeButRunDoes() throws Exception {
        String app = proc("a", "    user: root\n");
        assertEquals(List.of(), errors(app, null), "anyone may check a config");
        assertEquals(List.of(), errors(app, ROOT));
        assertEquals(List.of("g.yaml:7:11: apps[0].user: starting the app as root (uid 0, gid 0) needs root or "
                + "CAP_SETUID CAP_SETGID CAP_CHOWN CAP_KILL (systemd: AmbientCapabilities=); gatehouse runs as "
                + "uid 65534, gid 65534"), errors(app, NOBODY));
        assertEquals(List.of(), errors(proc("a", "    user: nobody\n"), NOBODY), "no switch is needed");
    }

    @Test
    void masterUserNeedsRootAndAppsThatAgreeWithIt() throws Exception {
        String master = "master:\n  user: nobody\n";
        assertEquals(List.of(), errors(master, proc("a", "") + proc("b", "    user: nobody\n"), ROOT));
        assertEquals(List.of("g.yaml:9:11: apps[0].user: runs as root (uid 0, gid 0), but master.user drops the "
                + "whole server to nobody (uid 65534, gid 65534), after which no process can be started as "
                + "another user; leave user: out, or leave out master.user (the master then stays root, as "
                + "nginx's and gunicorn's do)"), errors(master, proc("a", "    user: root\n"), null));
        assertEquals(List.of("g.yaml:2:9: master.user: dropping to root (uid 0, gid 0) needs gatehouse started as "
                + "root; it runs as uid 65534, gid 65534 without CAP_SETUID CAP_SETGID CAP_CHOWN CAP_KILL"),
                errors("master:\n  user: root\n", proc("a", ""), NOBODY));
        assertEquals(List.of(), errors(master, proc("a", ""), NOBODY), "already that user");
    }
}
