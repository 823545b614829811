package io.gatehouse.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.List;

/**
 * What {@code run} opens before it serves, checked where {@code check} can see it: the pidfile, the log files and
 * the unix sockets need a directory that exists (or, for sockets the master creates the directory of, one that can
 * be created) and can be written, socket paths must fit the kernel's limit, and a socket's owner must exist. Paths
 * resolve against the working directory, as the master resolves them.
 */
final class BootChecks {

    /** sun_path holds 108 bytes with the terminating NUL (unix(7)). */
    static final int MAX_SOCKET_PATH = 107;
    /** The control socket is bound as {@code PATH.PID.tmp} and renamed: a pid of up to 7 digits and 5 more bytes. */
    static final int CONTROL_SOCKET_SUFFIX = 12;

    private BootChecks() {
    }

    static void check(GatehouseConfig config, ConfigScope document) {
        ConfigScope master = document.key("master");
        if (config.master().pidfile() != null && !Files.exists(Path.of(config.master().pidfile()))) {
            // An existing pidfile is a running master's (a reload) or a stale one, which run replaces in place.
            fileIn(config.master().pidfile(), master.key("pidfile"));
        }
        socket(config.master().controlSocket(), master.key("control-socket"), true, CONTROL_SOCKET_SUFFIX);
        ConfigScope logging = document.key("logging");
        fileIn(config.logging().errorLog(), logging.key("error-log"));
        if (!"-".equals(config.logging().accessLog())) {
            fileIn(config.logging().accessLog(), logging.key("access-log"));
        }
        if (config.stats().bind() instanceof BindAddress.Unix unix) {
            socket(unix.path(), document.key("stats").key("bind"), false, 0);
        }
        List<ListenerConfig> listeners = config.listeners();
        for (int i = 0; i < listeners.size(); i++) {
            ListenerConfig l = listeners.get(i);
            if (l != null && l.bind() instanceof BindAddress.Unix unix) {
                ConfigScope at = document.key("listeners").item(i);
                socket(unix.path(), at.key("bind"), true, 0);
                owner(l.owner(), at.key("owner"));
            }
        }
    }

    /** A file the master opens for writing (appending): it, or else its directory, must be writable. */
    private static void fileIn(String file, ConfigScope at) {
        Path path = absolute(file, at);
        if (path == null) {
            return;
        }
        if (Files.isDirectory(path)) {
            at.error("is a directory: " + path);
        } else if (Files.exists(path)) {
            if (!Files.isWritable(path)) {
                at.error("cannot write " + path + " (permission denied)");
            }
        } else {
            directory(path.getParent(), at, false);
        }
    }

    /** A unix socket: its path must fit sun_path, and its directory exist (or be creatable) and be writable. */
    private static void socket(String file, ConfigScope at, boolean createsDirectory, int suffix) {
        Path path = absolute(file, at);
        if (path == null) {
            return;
        }
        int bytes = path.toString().getBytes(StandardCharsets.UTF_8).length;
        if (bytes + suffix > MAX_SOCKET_PATH) {
            at.error("the socket path " + path + " is " + bytes + " bytes long; a unix socket path has at most "
                    + (MAX_SOCKET_PATH - suffix) + (suffix > 0 ? " here (the kernel's " + MAX_SOCKET_PATH
                    + ", less the " + suffix + " of the temporary name it is bound under)" : " (the kernel's limit)")
                    + "; choose a shorter one, e.g. under /run");
            return;
        }
        // An existing socket is a running master's (a reload keeps it) or a stale one, cleared where it lies.
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            directory(path.getParent(), at, createsDirectory);
        }
    }

    /** A directory the master writes in; when it creates missing ones, the nearest existing parent must do. */
    private static void directory(Path dir, ConfigScope at, boolean created) {
        Path existing = dir;
        while (created && existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.exists(existing)) {
            at.error("no such directory: " + dir);
        } else if (!Files.isDirectory(existing)) {
            at.error("not a directory: " + existing);
        } else if (!Files.isWritable(existing)) {
            at.error((existing.equals(dir) ? "cannot write in " : "cannot create " + dir + ": cannot write in ")
                    + existing + " (permission denied)");
        }
    }

    /** {@code user} or {@code user:group}, looked up as the master will look them up. */
    private static void owner(String owner, ConfigScope at) {
        if (owner == null) {
            return;
        }
        UserPrincipalLookupService users = FileSystems.getDefault().getUserPrincipalLookupService();
        int colon = owner.indexOf(':');
        principal("user", colon < 0 ? owner : owner.substring(0, colon), users::lookupPrincipalByName, at);
        if (colon >= 0) {
            principal("group", owner.substring(colon + 1), users::lookupPrincipalByGroupName, at);
        }
    }

    /** What looks a user or group up by name, as {@link UserPrincipalLookupService} does. */
    private interface Lookup {
        Object find(String name) throws IOException;
    }

    private static void principal(String kind, String name, Lookup lookup, ConfigScope at) {
        try {
            lookup.find(name);
        } catch (UserPrincipalNotFoundException e) {
            at.error("no such " + kind + ": '" + name + "'");
        } catch (IOException e) {
            at.error("cannot look up " + kind + " '" + name + "': " + e.getMessage());
        }
    }

    private static Path absolute(String file, ConfigScope at) {
        if (file == null || file.isEmpty()) {
            return null;
        }
        try {
            return Path.of(file).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            at.error("not a valid path: " + e.getMessage());
            return null;
        }
    }
}
