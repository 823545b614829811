package io.gatehouse.tests.privileges;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.tests.support.FreePort;
import io.gatehouse.tests.support.GatehouseProcess;
import io.gatehouse.tests.support.GatehouseYaml;
import io.gatehouse.tests.support.ThrowawayUser;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Apps with {@code user:} and {@code limits:} under a root master: the Python fork server, its workers and a CGI
 * script run as a user made for the test, with its supplementary group, under the limits, and cannot read a file
 * only root may read, not even through the master. Root only (CI runs as root); skipped with the reason otherwise.
 */
class AppUserTest extends UserServerCase {

    @BeforeAll
    void start(@TempDir Path dir) {
        user = ThrowawayUser.create();
        PrivilegeApps.write(dir);
        port = FreePort.pick();
        server = GatehouseProcess.start(dir, GatehouseYaml.httpSite(port,
                PrivilegeApps.python(dir, "user: " + user.name() + "\nlimits: {memory: 2GiB, open-files: 200, "
                        + "processes: 300, cpu-time: 1h}\n")
                + PrivilegeApps.cgi(dir, "user: " + user.name() + "\ngroup: " + user.extra()
                        + "\nlimits: {open-files: 64, processes: 100}\n")));
    }

    @Test
    void pythonWorkerAndForkServerRunAsTheAppsUserWithItsGroups() throws IOException {
        long[] pids = PrivilegeApps.pids(PrivilegeApps.get(port, "/py/who").body());
        for (long pid : pids) {
            ProcStatus p = new ProcStatus(pid);
            assertEquals(List.of(user.uid(), user.uid(), user.uid(), user.uid()), p.ids("Uid"), "pid " + pid);
            assertEquals(List.of(user.gid(), user.gid(), user.gid(), user.gid()), p.ids("Gid"), "pid " + pid);
            assertTrue(p.groups().contains(user.extraGid()), "initgroups gave the user's groups: " + p.groups());
            assertEquals("0000000000000000", p.field("CapEff"));
            assertEquals("0000000000000000", p.field("CapPrm"));
        }
        assertEquals(List.of(0L, 0L, 0L, 0L), new ProcStatus(server.pid()).ids("Uid"), "the master stays root");
        assertFalse(server.output().contains("runs as root"), "no warning for apps with a user of their own");
    }

    @Test
    void pythonProcessesHaveTheAppsLimits() throws IOException {
        long[] pids = PrivilegeApps.pids(PrivilegeApps.get(port, "/py/who").body());
        for (long pid : pids) {
            ProcStatus p = new ProcStatus(pid);
            assertEquals(List.of("2147483648", "2147483648"), p.limit("Max address space"), "pid " + pid);
            assertEquals(List.of("200", "200"), p.limit("Max open files"), "pid " + pid);
            assertEquals(List.of("300", "300"), p.limit("Max processes"), "pid " + pid);
            assertEquals(List.of("3600", "3601"), p.limit("Max cpu time"), "pid " + pid);
        }
    }

    @Test
    void theAppsUserCannotReadARootOnlyFile() throws IOException {
        assertEquals("PermissionError", PrivilegeApps.get(port, "/py/secret").body());
    }

    @Test
    void theMasterWillNotSendAFileTheAppsUserCannotRead() {
        // An O_PATH descriptor of the root-only file, offered to the master through wsgi.file_wrapper.
        try {
            HttpResponse<String> r = PrivilegeApps.get(port, "/py/opath");
            assertFalse(r.body().contains(PrivilegeApps.SECRET), r.body());
        } catch (IOException cutShort) {
            // The worker could not read the file either, after its response had started: the connection is cut.
        }
        assertFalse(server.output().contains(PrivilegeApps.SECRET));
    }

    @Test
    void cgiScriptRunsAsTheAppsUserAndGroupUnderItsLimits() throws IOException {
        String body = PrivilegeApps.get(port, "/cgi/who.sh").body();
        String ids = user.uid() + "\t" + user.uid() + "\t" + user.uid() + "\t" + user.uid();
        assertTrue(body.contains("Uid:\t" + ids + "\n"), body);
        String gids = user.extraGid() + "\t" + user.extraGid() + "\t" + user.extraGid() + "\t" + user.extraGid();
        assertTrue(body.contains("Gid:\t" + gids + "\n"), body);
        assertTrue(body.matches("(?s).*Groups:[^\\n]*\\b" + user.extraGid() + "\\b.*"), body);
        assertTrue(body.matches("(?s).*Max open files\\s+64\\s+64\\s.*"), body);
        assertTrue(body.matches("(?s).*Max processes\\s+100\\s+100\\s.*"), body);
        assertTrue(body.contains("denied"), body);
    }
}
