package io.gatehouse.spi.runtime;

import io.gatehouse.config.AppConfig;
import io.gatehouse.spi.runtime.Transport;
import java.nio.file.Path;

/**
 * What a runtime may use while preparing an app: where relative paths resolve, the I/O transport (for bridges to
 * worker processes), and a private directory for sockets and spooled files.
 *
 * @param transport  the server's event loops and channel types
 * @param runDir     a private directory (mode 0711: no one else may list it) for worker sockets and temp files
 */
public record RuntimeContext(Transport transport, Path runDir) {

    /** {@code path} resolved against the directory of the file that declared {@code app}. */
    public static Path resolve(AppConfig app, String path) {
        Path p = Path.of(path);
        if (p.isAbsolute()) {
            return p;
        }
        Path file = app.origin() == null ? null : app.origin().file();
        Path dir = file == null ? null : file.toAbsolutePath().getParent();
        return dir == null ? p.toAbsolutePath() : dir.resolve(p).normalize();
    }
}
