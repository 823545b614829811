package io.gatehouse.core.master;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * The files the master watches, looked at from its tick every {@code master.watch-interval}: each app's
 * {@code touch-reload} files, and the apps-dir (not while a reload runs: it reads the files itself). What changed
 * becomes a reload request on the master's queue, like a signal.
 */
final class FileWatch {
    // The master's own lines keep its name ([Master] in the log), as operators and tests look for them.
    private static final Logger LOG = Logger.getLogger(Master.class.getName());

    private final TouchReload touch = new TouchReload();
    private final AppsDirWatch appsDir = new AppsDirWatch();
    private long last = System.nanoTime();

    /** A watch of what {@code serving} serves; its touch-reload files are first looked at now. */
    FileWatch(Serving serving) {
        touch.touched(serving.apps());
    }

    /** A tick step: looks at the files if the interval has passed, and posts the reloads they call for. */
    void check(long now, Serving serving, boolean reloading, Consumer<MasterCommand> post) {
        if (now - last < serving.config().config().master().watchInterval().toNanos()) {
            return;
        }
        last = now;
        touch.touched(serving.apps()).forEach((app, file) -> {
            LOG.info("touch-reload: " + file + " changed; reloading app '" + app + "'");
            post.accept(new MasterCommand.Reload(ReloadScope.touched(app, "touched " + file),
                    new CompletableFuture<>()));
        });
        if (!reloading) {
            Set<Path> changed = appsDir.changed(serving.config());
            if (!changed.isEmpty()) {
                post.accept(new MasterCommand.Reload(ReloadScope.files(changed), new CompletableFuture<>()));
            }
        }
    }
}
