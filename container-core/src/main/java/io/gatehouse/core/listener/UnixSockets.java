package io.gatehouse.core.listener;

import java.io.IOException;
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

/** File-system chores of unix socket listeners: stale files, mode and owner. */
final class UnixSockets {
    private static final PosixFilePermission[] BITS = {
        PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ,
    };

    private UnixSockets() {
    }

    /** Removes a socket file left by a dead process; refuses if something still listens on it. */
    static void clearStale(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(path.getParent());
            return;
        }
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(path));
            throw new IOException("address already in use: " + path + " (another process is listening)");
        } catch (IOException refused) {
            if (refused.getMessage() != null && refused.getMessage().startsWith("address already in use")) {
                throw refused;
            }
            Files.delete(path);
        }
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
