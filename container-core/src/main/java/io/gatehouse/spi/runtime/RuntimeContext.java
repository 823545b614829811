package io.gatehouse.spi.runtime;

import io.gatehouse.config.AppConfig;
import java.nio.file.Path;

/**
 * What a runtime may use while preparing an app: where relative paths resolve, the I/O transport (for bridges to
 * worker processes), a private directory for sockets and spooled files, and the apps' cgroups.
 *
 * @param transport  the server's event loops and channel types
 * @param runDir     a private directory (mode 0711: no one else may list it) for worker sockets and temp files
 * @param cgroups    where the app's processes go in the cgroup tree ({@link AppLauncher#of(AppConfig,
 *                   RuntimeContext)} puts them there)
 */
public record RuntimeContext(Transport transport, Path runDir, AppCgroups cgroups) {

    /** A context whose apps' processes stay in the master's cgroup. */
    public RuntimeContext(Transport transport, Path runDir) {
        this(transport, runDir, AppCgroups.NONE);
    }

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
