package io.gatehouse.core.cgroup;

import io.gatehouse.config.AppConfig;
import io.gatehouse.spi.runtime.AppCgroups;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The apps' cgroups of one master: with its cgroup delegated, each app that runs processes has a cgroup of its own,
 * {@code app-NAME} beside the master's leaf, made when its runtime prepares it (at start or at a reload), limited by
 * its {@code cgroup} keys (written again when they change), and removed once the app has stopped and its cgroup is
 * empty. Without delegation the apps' processes stay in the master's cgroup.
 */
public final class MasterCgroups implements AppCgroups {
    private static final Logger LOG = Logger.getLogger(MasterCgroups.class.getName());
    private static final long CLOSE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final ServiceCgroup service;
    private final Map<String, Path> placed = new LinkedHashMap<>();
    private final Set<String> released = new HashSet<>();

    private MasterCgroups(ServiceCgroup service) {
        this.service = service;
    }

    /**
     * Divides {@code service}'s cgroup when it can be (the master into its leaf, the controllers enabled), or keeps
     * the apps in the master's cgroup when it cannot.
     *
     * @param required whether an app has {@code cgroup} keys: then a tree that cannot be set up fails the start
     * @throws IOException when the tree cannot be set up and {@code required}
     */
    public static MasterCgroups setUp(ServiceCgroup service, boolean required) throws IOException {
        return setUp(service, required, ProcessHandle.current().pid());
    }

    /** As {@link #setUp(ServiceCgroup, boolean)}, for a master of pid {@code masterPid}. */
    static MasterCgroups setUp(ServiceCgroup service, boolean required, long masterPid) throws IOException {
        if (!service.usable()) {
            LOG.fine(() -> "apps stay in the master's cgroup: " + service.refusal());
            return new MasterCgroups(service);
        }
        try {
            Set<String> enabled = service.setUp(masterPid);
            LOG.info("cgroups: the master in " + service.leaf() + ", each app beside it in " + service.root()
                    + "/app-NAME" + (enabled.isEmpty() ? "" : " (" + String.join(", ", enabled) + " enabled)"));
            return new MasterCgroups(service);
        } catch (IOException e) {
            String why = "its delegated cgroup " + service.root() + " could not be set up: " + e.getMessage();
            if (required) {
                throw new IOException("cgroup: " + why, e);
            }
            LOG.warning("cgroup: " + why + "; the apps stay in the master's cgroup");
            return new MasterCgroups(service.failed(why));
        }
    }

    /** What reloads check an app's {@code cgroup} keys against. */
    public ServiceCgroup service() {
        return service;
    }

    /** The directory name of {@code app}'s cgroup: {@code app-} and its name, with other bytes than [A-Za-z0-9._-] as %XX. */
    static String dirName(String app) {
        StringBuilder out = new StringBuilder("app-");
        for (byte b : app.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-')) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    @Override
    public synchronized Path place(AppConfig app) throws IOException {
        if (!service.usable()) {
            return null;
        }
        Path dir = service.root().resolve(dirName(app.name()));
        if (!Files.isDirectory(dir)) {
            Files.createDirectory(dir);
            LOG.fine(() -> "app '" + app.name() + "': made its cgroup " + dir);
        }
        placed.put(app.name(), dir); // even when its limits fail below: it is removed with the app
        released.remove(app.name());
        CgroupLimits.of(app.cgroup()).writeTo(dir);
        return dir.resolve("cgroup.procs");
    }

    /** {@code app} was removed and has stopped: its cgroup goes once it is empty ({@link #sweep}). */
    public synchronized void release(String app) {
        if (placed.containsKey(app)) {
            released.add(app);
        }
    }

    /** A tick step: removes the cgroups of the released apps not in {@code inService} (again) once they are empty. */
    public synchronized void sweep(Set<String> inService) {
        released.removeIf(app -> inService.contains(app) || remove(app, placed.get(app)));
    }

    private boolean remove(String app, Path dir) {
        try {
            Files.delete(dir);
            placed.remove(app);
            LOG.fine(() -> "app '" + app + "': removed its cgroup " + dir);
            return true;
        } catch (NoSuchFileException e) {
            placed.remove(app);
            return true;
        } catch (DirectoryNotEmptyException e) {
            return false; // a cgroup made below it by someone else: never ours to remove
        } catch (FileSystemException e) {
            return false; // EBUSY: a process is still in it; the next tick tries again
        } catch (IOException e) {
            LOG.warning("app '" + app + "': cannot remove its cgroup " + dir + ": " + e.getMessage());
            return true;
        }
    }

    /** At exit, once every app's processes were stopped: removes their cgroups (the master's leaf stays). */
    public synchronized void close() {
        long deadline = System.nanoTime() + CLOSE_WAIT_NANOS;
        for (Map.Entry<String, Path> e : new ArrayList<>(placed.entrySet())) {
            while (!remove(e.getKey(), e.getValue()) && System.nanoTime() < deadline) {
                pause();
            }
        }
        if (!placed.isEmpty()) {
            LOG.warning("cgroups still holding processes at exit, left to systemd: " + placed.values());
        }
    }

    /**
     * What {@code master.user} must own to go on dividing the cgroup after the drop: the delegated cgroup and the
     * files that move processes in it (as systemd hands them to a service's User=), and every cgroup made in it.
     */
    public synchronized List<Path> owned() throws IOException {
        List<Path> all = new ArrayList<>();
        if (!service.usable()) {
            return all;
        }
        Path root = service.root();
        all.add(root);
        for (String file : List.of("cgroup.procs", "cgroup.subtree_control", "cgroup.threads")) {
            all.add(root.resolve(file));
        }
        List<Path> dirs = new ArrayList<>(placed.values());
        dirs.add(service.leaf());
        for (Path dir : dirs) {
            try (Stream<Path> files = Files.list(dir)) {
                all.add(dir);
                files.forEach(all::add);
            }
        }
        return all;
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
