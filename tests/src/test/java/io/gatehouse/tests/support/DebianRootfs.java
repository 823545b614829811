package io.gatehouse.tests.support;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A Debian bookworm root file system made by {@code debootstrap --variant=minbase} for systemd-nspawn, cached
 * between runs on one machine under /var/cache/gatehouse-tests (or $GATEHOUSE_TEST_CACHE). It is built into a
 * temporary directory and renamed when complete, so a directory under its final name is always whole; the name
 * carries a hash of the suite, mirror and packages, so a changed list builds a new one. Containers boot it
 * read-only under a throwaway overlay, so no test changes it.
 */
public final class DebianRootfs {
    private static final String SUITE = "bookworm";
    private static final String DEFAULT_MIRROR = "http://deb.debian.org/debian";
    /** Everything the containers need, offline: systemd as init, nginx, Python with Flask, Java, curl, logrotate. */
    private static final List<String> PACKAGES = List.of("systemd", "systemd-sysv", "dbus", "nginx", "python3",
            "python3-flask", "default-jre-headless", "curl", "procps", "logrotate");
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(20);

    private DebianRootfs() {
    }

    /** The cached rootfs, built first if needed; aborts the test (with the reason) where it cannot be built. */
    public static Path cached() throws IOException {
        Assumptions.assumeTrue(Command.installed("debootstrap"), "debootstrap is not installed (.ci/install-deps "
                + "installs it)");
        String mirror = mirror();
        Path cache = Path.of(System.getenv().getOrDefault("GATEHOUSE_TEST_CACHE", "/var/cache/gatehouse-tests"));
        Files.createDirectories(cache);
        Path rootfs = cache.resolve(SUITE + "-" + hash(SUITE + " " + mirror + " " + PACKAGES));
        if (Files.isDirectory(rootfs)) {
            return rootfs;
        }
        try (FileChannel lockFile = FileChannel.open(cache.resolve(".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock lock = lockFile.lock()) {
            if (Files.isDirectory(rootfs)) {
                return rootfs; // another run built it while this one waited for the lock
            }
            removeLeftovers(cache);
            Path tmp = cache.resolve(rootfs.getFileName() + ".tmp-" + ProcessHandle.current().pid());
            long start = System.nanoTime();
            Command.Result r = Command.run(List.of("debootstrap", "--variant=minbase", "--include="
                    + String.join(",", PACKAGES), SUITE, tmp.toString(), mirror), BUILD_TIMEOUT);
            if (!r.ok()) {
                remove(tmp);
                Assumptions.abort("debootstrap of " + SUITE + " from " + mirror + " failed (exit " + r.status()
                        + "):\n" + tail(r.output(), 30));
            }
            Files.writeString(tmp.resolve("gatehouse-tests-rootfs.txt"), SUITE + " from " + mirror + " with "
                    + String.join(" ", PACKAGES) + "\n");
            Files.move(tmp, rootfs, StandardCopyOption.ATOMIC_MOVE);
            System.out.printf("[rootfs] debootstrap of %s built %s in %.1f s%n", SUITE, rootfs,
                    (System.nanoTime() - start) / 1e9);
            return rootfs;
        }
    }

    /** The Debian mirror apt uses here for bookworm (deb822 or one-line sources), else deb.debian.org. */
    static String mirror() throws IOException {
        List<Path> sources = new ArrayList<>();
        Path dir = Path.of("/etc/apt/sources.list.d");
        if (Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(p -> p.toString().endsWith(".sources") || p.toString().endsWith(".list")).sorted()
                        .forEach(sources::add);
            }
        }
        sources.add(0, Path.of("/etc/apt/sources.list"));
        for (Path file : sources) {
            if (Files.isReadable(file)) {
                String found = bookwormUri(Files.readString(file, StandardCharsets.UTF_8));
                if (found != null) {
                    return found;
                }
            }
        }
        return DEFAULT_MIRROR;
    }

    /** The first URI serving exactly the suite (not -security or -updates) in a sources file of either format. */
    static String bookwormUri(String text) {
        for (String stanza : text.split("\\n\\s*\\n")) {
            String uris = null;
            boolean suite = false;
            for (String line : stanza.split("\\n")) {
                String l = line.trim();
                if (l.startsWith("URIs:")) {
                    uris = l.substring(5).trim().split("\\s+")[0];
                } else if (l.startsWith("Suites:")) {
                    suite = List.of(l.substring(7).trim().split("\\s+")).contains(SUITE);
                } else if (l.startsWith("deb ")) {
                    String[] f = l.replaceAll("\\[[^]]*]", "").trim().split("\\s+");
                    if (f.length >= 3 && f[2].equals(SUITE)) {
                        return f[1];
                    }
                }
            }
            if (uris != null && suite) {
                return uris;
            }
        }
        return null;
    }

    /** Temporary directories of builds that died: unmounted (debootstrap mounts /proc and /sys), then removed. */
    private static void removeLeftovers(Path cache) throws IOException {
        try (Stream<Path> s = Files.list(cache)) {
            for (Path p : s.filter(p -> p.getFileName().toString().contains(".tmp-")).toList()) {
                remove(p);
            }
        }
    }

    private static void remove(Path dir) throws IOException {
        List<String> mounts = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String point = line.split(" ")[4].replace("\\040", " ");
            if (point.startsWith(dir + "/")) {
                mounts.add(point);
            }
        }
        mounts.sort((a, b) -> b.length() - a.length());
        for (String m : mounts) {
            Command.run(List.of("umount", "-l", m), Duration.ofSeconds(30));
        }
        Command.run(List.of("rm", "-rf", "--one-file-system", dir.toString()), Duration.ofMinutes(5));
    }

    private static String hash(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String tail(String text, int lines) {
        String[] all = text.split("\\n");
        return String.join("\n", List.of(all).subList(Math.max(0, all.length - lines), all.length));
    }
}
