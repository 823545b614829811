package io.gatehouse.core.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.testing.LogCapture;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Run directories: each master's own is locked while it lives; the next master removes those of dead ones. */
class RunDirectoryTest {
    @TempDir
    Path tmp;

    /** A run directory like a master's, locked by another process (a python holding an fcntl lock) until killed. */
    private Process lockedByAnotherProcess(Path dir) throws Exception {
        Files.createDirectories(dir);
        Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import fcntl, sys, time\n"
                + "f = open(sys.argv[1], 'w'); f.write('4242\\n'); f.flush(); fcntl.lockf(f, fcntl.LOCK_EX)\n"
                + "print('locked', flush=True); time.sleep(60)\n", dir.resolve(RunDirectory.LOCK).toString())
                .redirectErrorStream(true).start();
        String line = new BufferedReader(new InputStreamReader(p.getInputStream())).readLine();
        assertEquals("locked", line);
        return p;
    }

    @Test
    void removesTheDirectoryOfADeadMasterAndKeepsALiveOnes() throws Exception {
        Path dir = tmp.resolve("gatehouse-123");
        Process master = lockedByAnotherProcess(dir);
        Files.writeString(dir.resolve("app1.sock"), "");
        try {
            assertEquals(List.of(), RunDirectory.sweep(tmp));
            assertTrue(Files.exists(dir.resolve("app1.sock")), "its master lives");
        } finally {
            master.destroyForcibly();
            master.waitFor(10, TimeUnit.SECONDS);
        }
        try (LogCapture log = LogCapture.of(RunDirectory.class)) {
            assertEquals(List.of(dir), RunDirectory.sweep(tmp));
            assertFalse(Files.exists(dir));
            assertEquals(List.of("removed the run directory " + dir + " of master pid 4242, which is gone"),
                    log.warnings());
        }
    }

    @Test
    void aNewMasterSweepsThenLocksItsOwnWhichNoSweepTouches() throws Exception {
        Path stale = Files.createDirectories(tmp.resolve("gatehouse-stale"));
        Files.writeString(stale.resolve(RunDirectory.LOCK), "1\n");
        RunDirectory own = RunDirectory.create(tmp);
        try {
            assertFalse(Files.exists(stale), "swept before the new one was made");
            assertTrue(own.path().getFileName().toString().startsWith(RunDirectory.PREFIX), own.path().toString());
            assertEquals(ProcessHandle.current().pid() + "\n", Files.readString(own.path().resolve(RunDirectory.LOCK)));
            assertEquals(List.of(), RunDirectory.sweep(tmp));
            assertTrue(Files.isDirectory(own.path()));
        } finally {
            own.delete();
        }
        assertFalse(Files.exists(own.path()));
    }

    @Test
    void leavesAloneWhatIsNotARunDirectoryOfThisKind() throws Exception {
        Path noLock = Files.createDirectories(tmp.resolve("gatehouse-old"));
        Path other = Files.createDirectories(tmp.resolve("elsewhere"));
        Files.writeString(other.resolve(RunDirectory.LOCK), "1\n");
        Files.createSymbolicLink(tmp.resolve("gatehouse-link"), other);
        assertEquals(List.of(), RunDirectory.sweep(tmp));
        assertTrue(Files.isDirectory(noLock));
        assertTrue(Files.exists(other.resolve(RunDirectory.LOCK)));
    }
}
