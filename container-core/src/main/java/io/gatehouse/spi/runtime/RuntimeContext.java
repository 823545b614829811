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
 * @param direct     the listeners whose connections an app's workers may accept themselves; asked when the
 *                   workers start, as the listeners are bound after the apps are prepared
 */
public record RuntimeContext(Transport transport, Path runDir, AppCgroups cgroups, DirectListener.Finder direct) {

    /** A context whose apps' processes stay in the master's cgroup. */
    public RuntimeContext(Transport transport, Path runDir) {
        this(transport, runDir, AppCgroups.NONE);
    }

    /** A context without a direct path. */
    public RuntimeContext(Transport transport, Path runDir, AppCgroups cgroups) {
        this(transport, runDir, cgroups, DirectListener.Finder.NONE);
    }

    /** This context with the direct listeners {@code finder} names. */
    public RuntimeContext withDirect(DirectListener.Finder finder) {
        return new RuntimeContext(transport, runDir, cgroups, finder);
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
