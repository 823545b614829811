package io.gatehouse.core.cgroup;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Whether a cgroup was delegated: systemd (v251 and later) marks the cgroup of a unit with {@code Delegate=yes}
 * with the extended attributes {@code trusted.delegate=1} (readable by root) and {@code user.delegate=1} (by
 * anyone), as its CGROUP_DELEGATION document says. Nothing else tells a delegated cgroup from one that root could
 * write but systemd manages.
 */
@FunctionalInterface
public interface DelegationMark {

    /** Whether {@code dir} carries the mark. */
    boolean marked(Path dir);

    /** The mark as systemd sets it, read with getxattr(2). */
    DelegationMark SYSTEMD = dir -> {
        for (String name : new String[] {"trusted.delegate", "user.delegate"}) {
            if ("1".equals(Xattr.read(dir, name))) {
                return true;
            }
        }
        return false;
    };

    /** getxattr(2) through JNA (the JDK reads only user.* attributes, and not on every file system). */
    final class Xattr {
        private interface LibC extends Library {
            NativeLong getxattr(String path, String name, byte[] value, NativeLong size);
        }

        private static volatile LibC libc;

        private Xattr() {
        }

        /** The attribute's value, or null when it is not set or cannot be read. */
        static String read(Path file, String name) {
            try {
                if (libc == null) {
                    libc = Native.load("c", LibC.class);
                }
                byte[] value = new byte[64];
                long n = libc.getxattr(file.toString(), name, value, new NativeLong(value.length)).longValue();
                return n < 0 ? null : new String(value, 0, (int) n, StandardCharsets.UTF_8);
            } catch (UnsatisfiedLinkError | RuntimeException e) {
                return null;
            }
        }
    }
}
