package io.gatehouse.core.master;

import io.gatehouse.config.AppsDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.logging.Logger;

/**
 * The watch on the running config's {@code apps-dir}, polled on the master's tick: one listing of the directory and
 * one stat per file. A file added, changed (its modification time, size or inode) or gone since it was read is
 * reloaded once it has stayed the same for one look, so a file still being written is not read half-way, and only
 * once for each new state (a refused reload is not retried until the file changes again).
 */
final class AppsDirWatch {
    // The master's own lines keep its name ([Master] in the log), as operators and tests look for them.
    private static final Logger LOG = Logger.getLogger(Master.class.getName());

    private Map<Path, FileStamp> lastSeen = new HashMap<>();
    private final Map<Path, FileStamp> asked = new HashMap<>();
    private boolean unlisted;

    /** Looks at the files once; returns those to read anew (added, changed or gone), each logged in one line. */
    Set<Path> changed(ResolvedConfig running) {
        String pattern = running.config().appsDir();
        if (pattern == null) {
            lastSeen.clear();
            return Set.of();
        }
        Set<Path> listed = list(running.file(), pattern);
        if (listed == null) {
            return Set.of();
        }
        Set<Path> paths = new TreeSet<>(listed);
        paths.addAll(running.appsFiles().keySet());
        Map<Path, FileStamp> seen = new HashMap<>();
        Set<Path> changed = new TreeSet<>();
        for (Path p : paths) {
            FileStamp now = listed.contains(p) ? FileStamp.of(p) : null;
            AppsFile known = running.appsFiles().get(p);
            if (!FileStamp.changed(now, known == null ? null : known.stamp())) {
                asked.remove(p);
                continue;
            }
            seen.put(p, now);
            boolean settled = lastSeen.containsKey(p) && !FileStamp.changed(lastSeen.get(p), now);
            if (settled && (!asked.containsKey(p) || FileStamp.changed(asked.get(p), now))) {
                asked.put(p, now);
                changed.add(p);
                LOG.info("apps-dir: " + p + (known == null ? " added" : now == null ? " removed" : " changed")
                        + "; reloading its apps");
            }
        }
        lastSeen = seen;
        return changed;
    }

    /** The files the pattern names now, or null (logged once) when its directory cannot be listed. */
    private Set<Path> list(Path configFile, String pattern) {
        Path dir = AppsDir.directory(configFile, pattern);
        try {
            if (!Files.isDirectory(dir)) {
                throw new NoSuchFileException(dir.toString(), null, "no such directory");
            }
            Set<Path> files = new TreeSet<>(AppsDir.files(configFile, pattern));
            if (unlisted) {
                LOG.info("apps-dir: " + dir + " can be listed again");
            }
            unlisted = false;
            return files;
        } catch (IOException e) {
            if (!unlisted) {
                LOG.warning("apps-dir: cannot list " + dir + " (" + e.getMessage() + "); its apps run on as they "
                        + "are until it can");
            }
            unlisted = true;
            return null;
        }
    }

    /**
     * The errors of the refused files of {@code config} that {@code read} covers, each file logged with what runs
     * of it meanwhile.
     */
    static List<String> refusals(ResolvedConfig config, Predicate<Path> read) {
        List<String> all = new ArrayList<>();
        config.appsFiles().forEach((p, f) -> {
            if (f.refused() && read.test(p)) {
                List<String> running = config.declaredIn(p).apps().stream().map(a -> a.config().name()).toList();
                LOG.severe("apps-dir: " + p + " refused; " + (running.isEmpty() ? "none of its apps runs"
                        : "its previous apps run on: " + String.join(", ", running)) + ":\n"
                        + String.join("\n", f.errors()));
                all.addAll(f.errors());
            }
        });
        return all;
    }
}
