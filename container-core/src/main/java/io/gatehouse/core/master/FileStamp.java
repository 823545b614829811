package io.gatehouse.core.master;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Objects;

/**
 * What one stat of a file says about it, to see that it changed: its modification time, its size, and its identity
 * (device and inode), so that a file replaced by a rename counts as changed even within one clock tick.
 *
 * @param modified the modification time
 * @param size     the size in bytes
 * @param identity the file system's key for the file, or null where it has none
 */
record FileStamp(FileTime modified, long size, Object identity) {

    /** The stamp of {@code file} now (following links), or null when it does not exist or cannot be read. */
    static FileStamp of(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return new FileStamp(a.lastModifiedTime(), a.size(), a.fileKey());
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    /** Whether {@code a} and {@code b}, either of which may stand for a missing file (null), differ. */
    static boolean changed(FileStamp a, FileStamp b) {
        return !Objects.equals(a, b);
    }
}
