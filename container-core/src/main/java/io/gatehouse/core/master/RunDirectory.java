package io.gatehouse.core.master;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The master's private directory ({@code gatehouse-*} in the temp directory) for worker sockets and spooled bodies;
 * removed at exit. Mode 0711: apps of other users reach their own sockets in it (each given to its app's user, mode
 * 0600), and no one else can list it. A master killed before it could remove it leaves it behind, so each master
 * holds a lock on its {@code master.lock} for as long as it lives (the kernel drops the lock of a dead process,
 * SIGKILL too), and the next master to start removes every such directory whose lock nobody holds.
 */
final class RunDirectory {
    private static final Logger LOG = Logger.getLogger(RunDirectory.class.getName());
    static final String PREFIX = "gatehouse-";
    static final String LOCK = "master.lock";
    /** The directories of the masters of this JVM (tests run several): locked by this process, never swept. */
    private static final Set<Path> OWN = ConcurrentHashMap.newKeySet();

    private final Path path;
    private final FileChannel lockFile;

    private RunDirectory(Path path, FileChannel lockFile) {
        this.path = path;
        this.lockFile = lockFile;
    }

    /** Sweeps the stale directories of the temp directory, then makes and locks this master's own. */
    static RunDirectory create() throws IOException {
        return create(Path.of(System.getProperty("java.io.tmpdir")));
    }

    /**
     * Made under a name the sweep ignores, locked, then renamed into place, so that a master starting at the same
     * moment never sees it unlocked.
     */
    static RunDirectory create(Path parent) throws IOException {
        sweep(parent);
        Path making = Files.createTempDirectory(parent, ".making-" + PREFIX,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        FileChannel lockFile = FileChannel.open(making.resolve(LOCK), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE);
        try {
            lockFile.lock();
            lockFile.write(StandardCharsets.US_ASCII.encode(ProcessHandle.current().pid() + "\n"));
            Path path = parent.resolve(making.getFileName().toString().substring(".making-".length()));
            Files.move(making, path, StandardCopyOption.ATOMIC_MOVE);
            // Set after creation, where the umask does not apply.
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwx--x--x"));
            OWN.add(path);
            return new RunDirectory(path, lockFile);
        } catch (IOException | RuntimeException e) {
            lockFile.close();
            deleteTree(making);
            throw e;
        }
    }

    /** Removes the {@code gatehouse-*} directories of {@code parent} whose master is gone; returns them. */
    static List<Path> sweep(Path parent) {
        List<Path> removed = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(parent, PREFIX + "*")) {
            for (Path dir : dirs) {
                if (!OWN.contains(dir) && Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) && removeIfStale(dir)) {
                    removed.add(dir);
                }
            }
        } catch (IOException e) {
            LOG.fine(() -> "cannot look for stale run directories in " + parent + ": " + e);
        }
        return removed;
    }

    /** Removes {@code dir} if it has a lock file that nobody holds (a directory without one is not ours to judge). */
    private static boolean removeIfStale(Path dir) {
        Path lock = dir.resolve(LOCK);
        if (!Files.isRegularFile(lock, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            FileLock held = channel.tryLock();
            if (held == null) {
                return false; // its master lives
            }
            String pid = Files.readString(lock, StandardCharsets.US_ASCII).trim();
            deleteTree(dir);
            LOG.warning("removed the run directory " + dir + " of master pid " + pid + ", which is gone");
            return true;
        } catch (OverlappingFileLockException e) {
            return false; // locked by this JVM
        } catch (IOException e) {
            LOG.fine(() -> "cannot judge " + dir + ": " + e);
            return false;
        }
    }

    Path path() {
        return path;
    }

    /** Removes the directory, then lets go of its lock. */
    void delete() {
        deleteTree(path);
        OWN.remove(path);
        try {
            lockFile.close();
        } catch (IOException ignored) {
            // closing releases the lock; the process's exit would too
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp directory is harmless, and the next master sweeps it
        }
    }
}
