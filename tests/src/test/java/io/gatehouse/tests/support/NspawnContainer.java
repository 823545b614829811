package io.gatehouse.tests.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.opentest4j.TestAbortedException;

/**
 * A Debian bookworm booted by a real systemd: {@code systemd-nspawn --register=no --keep-unit -b} on the cached
 * {@link DebianRootfs}, read-only under a throwaway overlay ({@code --volatile=overlay}), with only a loopback
 * network of its own ({@code --private-network}) and the built .deb at /mnt/gatehouse (a read-only bind).
 *
 * <p>Commands run inside with {@code nsenter -t LEADER -a}: into every namespace (and the root) of the container's
 * init, which is nspawn's child, found from the host. {@code machinectl shell} and {@code systemd-run --machine}
 * need the container registered with systemd-machined, which {@code --register=no} (and a host whose init is not
 * systemd) rules out, and nspawn's console is not scriptable. A process a command leaves behind belongs to the
 * container and ends with it. Closing sends nspawn SIGTERM (the container powers off), waits, and kills the
 * container's init (so the whole container) and nspawn if that takes too long.
 */
public final class NspawnContainer implements AutoCloseable {
    /** Where the container sees the directory given at boot. */
    public static final String SHARE = "/mnt/gatehouse";
    private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(120);
    private static final List<String> ENV = List.of("env", "-i", "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/root",
            "LANG=C.UTF-8", "TERM=dumb", "DEBIAN_FRONTEND=noninteractive");

    private final Process nspawn;
    private final long leader;
    /** Powers the container off if the test JVM exits without closing it. */
    private final Thread onExit;

    private NspawnContainer(Process nspawn, long leader) {
        this.nspawn = nspawn;
        this.leader = leader;
        this.onExit = new Thread(() -> stop(nspawn, leader));
        Runtime.getRuntime().addShutdownHook(onExit);
    }

    /**
     * {@link #bootWithPackage}, or the reason it could not: tests that then ask for the container are skipped, each
     * with that reason (an abort in a {@code @BeforeAll} would hide them from the report).
     */
    public static Booted tryBootWithPackage(Path dir) throws IOException {
        return tryBootWithPackage(dir, false);
    }

    /**
     * As {@link #tryBootWithPackage(Path)}; with {@code unifiedCgroups}, the container's systemd gets the unified
     * cgroup v2 hierarchy even on a host that keeps cgroup v1 hierarchies (hybrid), as nspawn does with
     * SYSTEMD_NSPAWN_UNIFIED_HIERARCHY=1: delegation works there, but the controllers the host binds to v1 stay
     * out of reach. On a unified host it changes nothing.
     */
    public static Booted tryBootWithPackage(Path dir, boolean unifiedCgroups) throws IOException {
        try {
            return new Booted(bootWithPackage(dir, unifiedCgroups), null);
        } catch (TestAbortedException e) {
            System.out.println("[nspawn] skipping the container's tests: " + e.getMessage());
            return new Booted(null, e.getMessage());
        }
    }

    /** A booted container, or why there is none. */
    public record Booted(NspawnContainer container, String skipped) implements AutoCloseable {
        /** The container; aborts the calling test with the reason when there is none. */
        public NspawnContainer get() {
            Assumptions.assumeTrue(container != null, skipped);
            return container;
        }

        @Override
        public void close() {
            if (container != null) {
                container.close();
            }
        }
    }

    /**
     * Boots a container with the built .deb in its {@link #SHARE} (copied into {@code dir}/share); aborts the test,
     * with the reason, where this machine cannot build the rootfs or boot it.
     */
    private static NspawnContainer bootWithPackage(Path dir, boolean unifiedCgroups) throws IOException {
        Assumptions.assumeTrue(((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0,
                "systemd-nspawn and debootstrap need root");
        Assumptions.assumeTrue(Command.installed("systemd-nspawn") && Command.installed("nsenter"),
                "systemd-nspawn (package systemd-container, see .ci/install-deps) or nsenter is not installed");
        Path deb = Distribution.debianPackage();
        long start = System.nanoTime();
        Path rootfs = DebianRootfs.cached();
        System.out.printf("[nspawn] rootfs %s ready in %.1f s%n", rootfs, seconds(start));
        Path share = Files.createDirectories(dir.resolve("share"));
        Files.setPosixFilePermissions(share, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.copy(deb, share.resolve(deb.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        start = System.nanoTime();
        NspawnContainer c = boot(rootfs, share, dir.resolve("nspawn.log"), unifiedCgroups);
        System.out.printf("[nspawn] booted to %s in %.1f s%n", c.run("systemctl is-system-running", Duration
                .ofSeconds(10)).output().trim(), seconds(start));
        return c;
    }

    private static NspawnContainer boot(Path rootfs, Path share, Path log, boolean unifiedCgroups)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder("systemd-nspawn", "--register=no", "--keep-unit", "--quiet",
                "--boot", "--volatile=overlay", "--private-network", "--bind-ro=" + share + ":" + SHARE,
                "--directory=" + rootfs).redirectInput(new File("/dev/null")).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        if (unifiedCgroups) {
            builder.environment().put("SYSTEMD_NSPAWN_UNIFIED_HIERARCHY", "1");
        }
        Process p = builder.start();
        long deadline = System.nanoTime() + BOOT_TIMEOUT.toNanos();
        Optional<ProcessHandle> init = Optional.empty();
        while (init.isEmpty() && p.isAlive() && System.nanoTime() < deadline) {
            init = p.children().filter(NspawnContainer::inOtherPidNamespace).findFirst();
            pause();
        }
        if (init.isEmpty()) {
            stop(p, -1);
            Assumptions.abort("systemd-nspawn could not start a container here:\n" + read(log));
        }
        NspawnContainer c = new NspawnContainer(p, init.get().pid());
        // Until its systemd answers (early on, systemctl cannot connect yet): "running", or "degraded" when a unit
        // failed (reported, not fatal), and the container is up either way.
        Command.Result state = new Command.Result(-1, "(no answer)");
        while (System.nanoTime() < deadline && p.isAlive() && !state.output().matches("(?s)(running|degraded)\\s*")) {
            state = c.run("systemctl is-system-running --wait", BOOT_TIMEOUT);
            pause();
        }
        if (!state.output().matches("(?s)(running|degraded)\\s*")) {
            c.close();
            Assumptions.abort("the container did not boot (systemctl is-system-running: " + state.output().trim()
                    + "):\n" + read(log));
        }
        if (state.output().startsWith("degraded")) {
            System.out.println("[nspawn] degraded boot:\n" + c.run("systemctl --failed", Duration.ofSeconds(10))
                    .output());
        }
        return c;
    }

    /** Runs {@code script} with bash inside the container, as root, in {@link #SHARE}. */
    public Command.Result run(String script, Duration timeout) {
        List<String> command = new ArrayList<>(List.of("nsenter", "-t", Long.toString(leader), "-a", "--"));
        command.addAll(ENV);
        command.addAll(List.of("bash", "-c", "cd " + SHARE + " && " + script));
        return Command.run(command, timeout);
    }

    /** Runs {@code script} (at most 2 minutes) and returns its output; fails with the output unless it exits 0. */
    public String ok(String script) {
        Command.Result r = run(script, Duration.ofMinutes(2));
        if (!r.ok()) {
            throw new AssertionError("exit " + r.status() + " in the container from:\n" + script + "\n---\n"
                    + r.output());
        }
        return r.output();
    }

    /** The unit's journal, for failure messages. */
    public String journal(String unit) {
        return run("journalctl --no-pager -n 60 -u " + unit, Duration.ofSeconds(20)).output();
    }

    @Override
    public void close() {
        Runtime.getRuntime().removeShutdownHook(onExit);
        stop(nspawn, leader);
    }

    private static void stop(Process nspawn, long leader) {
        long start = System.nanoTime();
        try {
            nspawn.destroy(); // SIGTERM: nspawn asks the container's systemd to power off
            if (!nspawn.waitFor(60, TimeUnit.SECONDS)) {
                if (leader > 0) {
                    ProcessHandle.of(leader).ifPresent(ProcessHandle::destroyForcibly);
                }
                nspawn.destroyForcibly();
                nspawn.waitFor(20, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        System.out.printf("[nspawn] container stopped in %.1f s%n", seconds(start));
    }

    /** Prints how long {@code what} took since {@code startNanos}, for the test log. */
    public static void timing(String what, long startNanos) {
        System.out.printf("[nspawn] %s: %.1f s%n", what, seconds(startNanos));
    }

    private static boolean inOtherPidNamespace(ProcessHandle h) {
        try {
            return !Files.readSymbolicLink(Path.of("/proc/" + h.pid() + "/ns/pid"))
                    .equals(Files.readSymbolicLink(Path.of("/proc/self/ns/pid")));
        } catch (IOException e) {
            return false;
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String read(Path log) {
        try {
            return DebianRootfs.tail(Files.readString(log, StandardCharsets.UTF_8), 40);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
