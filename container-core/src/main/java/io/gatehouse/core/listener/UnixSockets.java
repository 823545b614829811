package io.gatehouse.core.listener;

import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.EnumSet;
import java.util.Set;
import java.util.logging.Logger;

/** File-system chores of unix sockets (the listeners' and the control socket): stale files, mode and owner. */
public final class UnixSockets {
    private static final Logger LOG = Logger.getLogger(UnixSockets.class.getName());
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    private static final PosixFilePermission[] BITS = {
        PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ,
    };

    private UnixSockets() {
    }

    /**
     * Makes way for binding {@code what} at {@code path}: removes a socket file left there
     * by a process that died without removing it (a master killed with SIGKILL), but only when nothing accepts
     * connections on it. A live socket is an error (another server listens there), and so is a file that is not a
     * socket, which is never removed.
     */
    public static void clearStale(Path path, String what) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        if ((mode & S_IFMT) != S_IFSOCK) {
            throw new IOException(what + " cannot bind " + path + ": it exists and is not a socket (left as it is)");
        }
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(path));
        } catch (ConnectException refused) {
            Files.delete(path);
            LOG.warning(what + ": removed the stale socket " + path + " (nothing listened on it)");
            return;
        } catch (IOException e) {
            throw new IOException(what + " cannot bind " + path + ": cannot tell whether a server listens there ("
                    + e.getMessage() + ")", e);
        }
        throw new IOException(what + " cannot bind " + path + ": another server listens there");
    }

    /** Applies an octal {@code mode} ("0660") and an {@code owner} ("user" or "user:group"), when given. */
    static void applyModeAndOwner(Path path, String mode, String owner) throws IOException {
        if (mode != null) {
            Files.setPosixFilePermissions(path, permissions(Integer.parseInt(mode, 8)));
        }
        if (owner != null) {
            UserPrincipalLookupService users = path.getFileSystem().getUserPrincipalLookupService();
            int colon = owner.indexOf(':');
            String user = colon < 0 ? owner : owner.substring(0, colon);
            PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
            if (!user.isEmpty()) {
                view.setOwner(users.lookupPrincipalByName(user));
            }
            if (colon >= 0) {
                GroupPrincipal group = users.lookupPrincipalByGroupName(owner.substring(colon + 1));
                view.setGroup(group);
            }
        }
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        for (int bit = 0; bit < BITS.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                set.add(BITS[bit]);
            }
        }
        return set;
    }

    static void delete(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // the next bind clears it as stale
        }
    }
}
