package io.gatehouse.core.master;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

/** A file a test writes for the master to read or watch, each write showing as a change of its stamp. */
final class TestFile {
    private TestFile() {
    }

    /** Writes {@code text} to {@code dir/name}, making its directory, with a modification time of its own. */
    static Path write(Path dir, String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        // Two writes within one tick of the file system's clock would otherwise look the same.
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusNanos(System.nanoTime() % 1_000_000)));
        return file;
    }
}
