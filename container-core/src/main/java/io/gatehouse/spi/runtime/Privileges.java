package io.gatehouse.spi.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What this process may do now, from /proc/self/status: its effective user and group, and its effective
 * capabilities (root has them all; a service of another user may be given some with systemd's
 * {@code AmbientCapabilities=}).
 *
 * @param uid          the effective user id
 * @param gid          the effective group id
 * @param capabilities the effective capability set, one bit per capability (capability.h's numbers)
 */
public record Privileges(long uid, long gid, long capabilities) {

    /** Sending signals to another user's processes (the app's workers and scripts). */
    public static final int CAP_KILL = 5;
    /** Setting the group and the supplementary groups. */
    public static final int CAP_SETGID = 6;
    /** Setting the user. */
    public static final int CAP_SETUID = 7;
    /** Binding ports under 1024 (more precisely under net.ipv4.ip_unprivileged_port_start). */
    public static final int CAP_NET_BIND_SERVICE = 10;
    /** Raising a hard resource limit. */
    public static final int CAP_SYS_RESOURCE = 24;
    /** Giving a file (an app's worker socket) to another user. */
    public static final int CAP_CHOWN = 0;

    /** The capabilities the master needs to start an app's processes as another user and supervise them. */
    public static final String SWITCH_CAPABILITIES = "CAP_SETUID CAP_SETGID CAP_CHOWN CAP_KILL";

    /** This process's, read now (they change when the master drops to master.user). */
    public static Privileges current() {
        try {
            long uid = -1;
            long gid = -1;
            long caps = 0;
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    uid = Long.parseLong(line.split("\\s+")[2]);
                } else if (line.startsWith("Gid:")) {
                    gid = Long.parseLong(line.split("\\s+")[2]);
                } else if (line.startsWith("CapEff:")) {
                    caps = Long.parseUnsignedLong(line.substring(7).strip(), 16);
                }
            }
            return new Privileges(uid, gid, caps);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/self/status", e);
        }
    }

    /** Whether the effective set holds capability {@code cap}. */
    public boolean has(int cap) {
        return (capabilities & (1L << cap)) != 0;
    }

    /** Whether processes started now would already run as {@code who}, needing no switch. */
    public boolean alreadyRunsAs(RunAs who) {
        return who == null || (who.uid() == uid && who.gid() == gid);
    }

    /** Whether this process can start processes as {@code who} and supervise them. */
    public boolean canSwitchTo(RunAs who) {
        return alreadyRunsAs(who) || (has(CAP_SETUID) && has(CAP_SETGID) && has(CAP_CHOWN) && has(CAP_KILL));
    }

    /** How messages name this process's user: {@code uid 1000, gid 1000}. */
    public String describe() {
        return "uid " + uid + ", gid " + gid;
    }
}
