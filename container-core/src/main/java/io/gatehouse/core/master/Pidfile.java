package io.gatehouse.core.master;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.logging.Logger;

/** {@code master.pidfile}: written whole (through a rename) at boot, removed at exit if it still names us. */
final class Pidfile {
    private static final Logger LOG = Logger.getLogger(Pidfile.class.getName());

    private final Path path;
    private final String pid = Long.toString(ProcessHandle.current().pid());

    private Pidfile(Path path) {
        this.path = path;
    }

    /** Writes the pid to {@code file}; null writes nothing. */
    static Pidfile write(String file) throws IOException {
        if (file == null) {
            return null;
        }
        Path path = Path.of(file).toAbsolutePath();
        Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
        try {
            Files.writeString(tmp, Long.toString(ProcessHandle.current().pid()) + "\n", StandardCharsets.US_ASCII);
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new IOException("cannot write pidfile " + path + ": " + e.getMessage(), e);
        }
        return new Pidfile(path);
    }

    Path path() {
        return path;
    }

    void remove() {
        try {
            if (Files.exists(path) && Files.readString(path, StandardCharsets.US_ASCII).trim().equals(pid)) {
                Files.delete(path);
            }
        } catch (IOException e) {
            LOG.warning("cannot remove pidfile " + path + ": " + e.getMessage());
        }
    }
}
