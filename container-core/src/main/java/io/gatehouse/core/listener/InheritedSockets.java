package io.gatehouse.core.listener;

import io.gatehouse.config.BindAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Listening sockets passed in by systemd socket activation ({@code LISTEN_PID}, {@code LISTEN_FDS},
 * {@code LISTEN_FDNAMES}; the sockets are fds 3, 4, ...) or by any launcher for {@code fd:N}.
 */
public final class InheritedSockets {
    /** The first fd systemd passes (SD_LISTEN_FDS_START). */
    public static final int FIRST_FD = 3;
    private static final int O_NONBLOCK = 04000;

    private final long pid;
    private final int count;
    private final String countText;
    private final String pidText;
    private final List<String> names;

    private InheritedSockets(long pid, String pidText, String countText, List<String> names) {
        this.pid = pid;
        this.pidText = pidText;
        this.countText = countText;
        int n;
        try {
            n = countText == null ? 0 : Integer.parseInt(countText.trim());
        } catch (NumberFormatException e) {
            n = -1;
        }
        this.count = n;
        this.names = names;
    }

    /** What this process inherited, read from {@code env}. */
    public static InheritedSockets fromEnvironment(Map<String, String> env) {
        String names = env.get("LISTEN_FDNAMES");
        return new InheritedSockets(ProcessHandle.current().pid(), env.get("LISTEN_PID"), env.get("LISTEN_FDS"),
                names == null ? List.of() : Arrays.asList(names.split(":", -1)));
    }

    /** Nothing inherited, for tests and embedders. */
    public static InheritedSockets none() {
        return new InheritedSockets(ProcessHandle.current().pid(), null, null, List.of());
    }

    /** The fd for a {@code fd:N} or {@code systemd:NAME} bind, checked to be a non-blocking socket. */
    public int fd(BindAddress address, String listener) throws IOException {
        String prefix = "listener " + listener + ": bind " + address + ": ";
        int fd;
        if (address instanceof BindAddress.Fd f) {
            fd = f.fd();
            if (fd < FIRST_FD) {
                throw new IOException(prefix + "fds 0, 1 and 2 are stdin, stdout and stderr, not sockets");
            }
        } else {
            fd = byName(((BindAddress.Systemd) address).name(), prefix);
        }
        check(fd, prefix);
        return fd;
    }

    private int byName(String name, String prefix) throws IOException {
        if (countText == null) {
            throw new IOException(prefix + "no sockets were passed to this process (LISTEN_FDS is not set); start "
                    + "it from a systemd socket unit, or use a host:port or unix: bind");
        }
        if (pidText == null || !pidText.trim().equals(Long.toString(pid))) {
            throw new IOException(prefix + "the passed sockets are meant for process " + pidText + ", not this one ("
                    + pid + ")");
        }
        if (count <= 0) {
            throw new IOException(prefix + "LISTEN_FDS is '" + countText + "', expected a positive count");
        }
        int index = names.indexOf(name);
        if (index < 0 || index >= count) {
            throw new IOException(prefix + "no passed socket is named '" + name + "' (LISTEN_FDNAMES: "
                    + (names.isEmpty() ? "not set" : String.join(", ", names)) + ")");
        }
        return FIRST_FD + index;
    }

    /** Reads the fd's flags from /proc: a blocking listening socket would stall the accept loop. */
    private static void check(int fd, String prefix) throws IOException {
        Path link = Path.of("/proc/self/fd/" + fd);
        String target;
        try {
            target = Files.readSymbolicLink(link).toString();
        } catch (IOException e) {
            throw new IOException(prefix + "fd " + fd + " is not open in this process");
        }
        if (!target.startsWith("socket:")) {
            throw new IOException(prefix + "fd " + fd + " is not a socket (" + target + ")");
        }
        for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo/" + fd))) {
            if (line.startsWith("flags:") && (Integer.parseInt(line.substring(6).trim(), 8) & O_NONBLOCK) == 0) {
                throw new IOException(prefix + "fd " + fd + " is in blocking mode; pass it non-blocking "
                        + "(NonBlocking=yes in the [Service] section of the service unit, not in the socket unit)");
            }
        }
    }

    /** True if {@code fd} is a unix domain socket (its inode is listed in /proc/net/unix). */
    static boolean isUnixSocket(int fd) throws IOException {
        String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
        String inode = target.substring(target.indexOf('[') + 1, target.length() - 1);
        try (var lines = Files.lines(Path.of("/proc/net/unix"))) {
            return lines.skip(1).map(l -> l.trim().split("\\s+")).anyMatch(f -> f.length > 6 && f[6].equals(inode));
        }
    }
}
