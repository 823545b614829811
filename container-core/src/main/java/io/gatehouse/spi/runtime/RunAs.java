package io.gatehouse.spi.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A user and group that processes run as, resolved from a config's {@code user:} and {@code group:} (names or
 * numeric ids) through the system's user database with getent(1), so that NSS sources (LDAP, systemd's userdb) count
 * as they do for setpriv(1) and login.
 *
 * @param user the user's name, or null for a uid without an entry in the database (its groups are then cleared)
 * @param uid  the user id
 * @param gid  the group id
 * @param home the user's home directory from the database, or null
 */
public record RunAs(String user, long uid, long gid, String home) {

    /**
     * Resolves {@code user} and {@code group} (null: the user's primary group).
     *
     * @throws IllegalArgumentException with a message for the config's user, naming what is unknown
     */
    public static RunAs resolve(String user, String group) {
        String[] entry = lookup("passwd", user);
        boolean numeric = isId(user);
        if (entry == null && !numeric) {
            throw new IllegalArgumentException("no user '" + user + "' in the user database (getent passwd " + user
                    + ")");
        }
        long uid = entry != null ? Long.parseLong(entry[2]) : Long.parseLong(user);
        long gid;
        if (group != null) {
            String[] groupEntry = lookup("group", group);
            if (groupEntry == null && !isId(group)) {
                throw new IllegalArgumentException("no group '" + group + "' in the group database (getent group "
                        + group + ")");
            }
            gid = groupEntry != null ? Long.parseLong(groupEntry[2]) : Long.parseLong(group);
        } else if (entry != null) {
            gid = Long.parseLong(entry[3]);
        } else {
            throw new IllegalArgumentException("uid " + user + " has no entry in the user database, so no primary "
                    + "group: give group: too");
        }
        return new RunAs(entry != null ? entry[0] : null, uid, gid, entry != null ? entry[5] : null);
    }

    /** How logs and messages name it: {@code www-data (uid 33, gid 33)}. */
    public String describe() {
        return (user != null ? user + " " : "") + "(uid " + uid + ", gid " + gid + ")";
    }

    private static boolean isId(String name) {
        return !name.isEmpty() && name.chars().allMatch(Character::isDigit);
    }

    /** The database entry's fields for a name or an id, or null when there is none. */
    private static String[] lookup(String database, String key) {
        String line;
        try {
            line = getent(database, key);
        } catch (IOException noGetent) {
            line = fromFile(database, key); // a system without glibc's getent: its files are the database
        }
        return line == null ? null : line.split(":", -1);
    }

    private static String getent(String database, String key) throws IOException {
        Process p = new ProcessBuilder("getent", database, key).redirectErrorStream(true).start();
        try (InputStream out = p.getInputStream()) {
            String text = new String(out.readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("getent " + database + " " + key + " did not answer within 10 s");
            }
            // Exit status 2: no such key.
            return p.exitValue() == 0 && !text.isEmpty() ? text.lines().findFirst().orElse(null) : null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while asking getent", e);
        }
    }

    private static String fromFile(String database, String key) {
        try {
            List<String> lines = Files.readAllLines(Path.of("/etc", database));
            for (String l : lines) {
                String[] f = l.split(":", -1);
                if (f.length >= 3 && (f[0].equals(key) || f[2].equals(key))) {
                    return l;
                }
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }
}
