package io.gatehouse.core.cgroup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Reading and writing cgroup v2 interface files: each value in one write(2), which the kernel takes or refuses
 * whole (an error names the file and the value). Never created: a file that is missing is a controller that is not
 * enabled.
 */
final class CgroupFiles {

    private CgroupFiles() {
    }

    /** Writes {@code value} to {@code file}, or says which value the kernel refused for which file, and why. */
    static void write(Path file, String value) throws IOException {
        try {
            Files.write(file, value.getBytes(StandardCharsets.US_ASCII), StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
        } catch (NoSuchFileException e) {
            throw new IOException("no " + file, e);
        } catch (IOException e) {
            throw new IOException("cannot write '" + value + "' to " + file + ": " + e.getMessage(), e);
        }
    }

    /** The non-empty lines of {@code file}. */
    static List<String> lines(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.US_ASCII).stream().filter(l -> !l.isBlank()).toList();
    }

    /** Moves process {@code pid} into the cgroup {@code dir}, unless it has exited meanwhile. */
    static void moveIfAlive(String pid, Path dir) throws IOException {
        try {
            write(dir.resolve("cgroup.procs"), pid);
        } catch (IOException e) {
            if (ProcessHandle.of(Long.parseLong(pid)).isPresent()) {
                throw e;
            }
        }
    }

    /** Whether a process is in {@code dir}'s cgroup or below, from its cgroup.events. */
    static boolean populated(Path dir) throws IOException {
        return lines(dir.resolve("cgroup.events")).contains("populated 1");
    }
}
