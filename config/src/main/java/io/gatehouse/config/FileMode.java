package io.gatehouse.config;

import java.util.regex.Pattern;

/** Checks octal permission modes such as {@code 0660} for unix sockets. */
final class FileMode {

    // Three octal digits, optionally after a leading 0; setuid/setgid/sticky bits make no sense on a socket.
    private static final Pattern MODE = Pattern.compile("0?[0-7]{3}");

    private FileMode() {
    }

    /** Throws a {@link ConfigValueException} on {@code key} unless {@code mode} is absent or an octal mode. */
    static void check(String key, String mode) {
        if (mode != null && !MODE.matcher(mode).matches()) {
            throw new ConfigValueException(key, "expected an octal file mode from 0000 to 0777, got '" + mode + "'");
        }
    }
}
