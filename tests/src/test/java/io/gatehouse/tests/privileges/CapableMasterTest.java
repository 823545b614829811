package io.gatehouse.tests.privileges;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.tests.support.GatehouseProcess;
import io.gatehouse.tests.support.GatehouseYaml;
import io.gatehouse.tests.support.ThrowawayUser;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The setup operations.md recommends under systemd: a master that is not root but was given
 * {@code CAP_SETUID CAP_SETGID CAP_CHOWN CAP_KILL CAP_NET_BIND_SERVICE} as ambient capabilities (as
 * {@code AmbientCapabilities=} does; here setpriv does it) binds a low port and starts its apps as their own user,
 * who get none of those capabilities. Root only (to set it up); skipped with the reason otherwise.
 */
class CapableMasterTest extends UserServerCase {
    static final String CAPS = "+setuid,+setgid,+chown,+kill,+net_bind_service";

    @BeforeAll
    void start(@TempDir Path dir) throws IOException {
        user = ThrowawayUser.create();
        PrivilegeApps.write(dir);
        PrivilegeApps.assumeRunnableBy(PrivilegeApps.AS_NOBODY);
        port = MasterUserTest.lowPort(0);
        List<String> capable = new ArrayList<>(PrivilegeApps.AS_NOBODY);
        capable.addAll(List.of("--inh-caps=" + CAPS, "--ambient-caps=" + CAPS));
        server = GatehouseProcess.start(capable, dir, GatehouseYaml.httpSite(port,
                PrivilegeApps.python(dir, "user: " + user.name() + "\n")
                        + PrivilegeApps.cgi(dir, "user: " + user.name() + "\n")), Map.of());
    }

    @Test
    void theMasterKeepsItsCapabilitiesAndTheAppsHaveNone() throws IOException {
        ProcStatus master = new ProcStatus(server.pid());
        assertEquals(65534L, master.ids("Uid").get(1));
        assertEquals(0x4e1L, Long.parseLong(master.field("CapEff"), 16), "chown, kill, setgid, setuid, bind");
        long[] pids = PrivilegeApps.pids(PrivilegeApps.get(port, "/py/who").body());
        for (long pid : pids) {
            ProcStatus p = new ProcStatus(pid);
            assertEquals(List.of(user.uid(), user.uid(), user.uid(), user.uid()), p.ids("Uid"), "pid " + pid);
            for (String set : List.of("CapInh", "CapPrm", "CapEff", "CapAmb")) {
                assertEquals("0000000000000000", p.field(set), set + " of pid " + pid);
            }
        }
        String cgi = PrivilegeApps.get(port, "/cgi/who.sh").body();
        assertTrue(cgi.contains("Uid:\t" + user.uid() + "\t"), cgi);
        assertEquals("PermissionError", PrivilegeApps.get(port, "/py/secret").body());
    }
}
