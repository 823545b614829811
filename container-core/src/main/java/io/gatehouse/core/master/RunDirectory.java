package io.gatehouse.core.master;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The master's private directory for worker sockets and spooled bodies; removed at exit. Mode 0711: apps of other
 * users reach their own sockets in it (each given to its app's user, mode 0600), and no one else can list it.
 */
final class RunDirectory {
    private final Path path;

    private RunDirectory(Path path) {
        this.path = path;
    }

    static RunDirectory create() throws IOException {
        Path dir = Files.createTempDirectory("gatehouse-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        // Set after creation, where the umask does not apply.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
        return new RunDirectory(dir);
    }

    Path path() {
        return path;
    }

    void delete() {
        try (Stream<Path> all = Files.walk(path)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp directory is harmless
        }
    }
}
