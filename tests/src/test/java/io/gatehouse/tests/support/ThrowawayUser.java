package io.gatehouse.tests.support;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A system user made for one test class (with useradd, its own group and one more supplementary group) and removed
 * afterwards with userdel and groupdel. Only root can make one: as anyone else, the test is skipped with the reason.
 *
 * @param name  the user's name, also its own group's
 * @param extra the supplementary group's name
 * @param uid   the user id
 * @param gid   its own group's id
 * @param extraGid the supplementary group's id
 */
public record ThrowawayUser(String name, String extra, long uid, long gid, long extraGid) implements AutoCloseable {

    /** Skips the calling test unless the tests run as root (CI does). */
    public static void assumeRoot() {
        assumeTrue(Command.run(List.of("id", "-u"), Duration.ofSeconds(10)).output().strip().equals("0"),
                "switching users needs root: run the tests as root (CI does) to run this one");
    }

    /** Makes the user and its groups; skips the test when not root. */
    public static ThrowawayUser create() {
        assumeRoot();
        String suffix = Integer.toString(ThreadLocalRandom.current().nextInt(100_000, 1_000_000));
        String name = "ghtest" + suffix;
        String extra = "ghextra" + suffix;
        run("groupadd", "--system", extra);
        run("useradd", "--system", "--user-group", "--no-create-home", "--home-dir", "/nonexistent",
                "--shell", "/usr/sbin/nologin", "--groups", extra, name);
        return new ThrowawayUser(name, extra, id("-u", name), id("-g", name), gid(extra));
    }

    /** Gives {@code path} to this user (its own group). */
    public void own(Path path) {
        try {
            Files.setAttribute(path, "unix:uid", (int) uid, LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(path, "unix:gid", (int) gid, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes the user and its groups (every process of the user must have exited). */
    @Override
    public void close() {
        run("userdel", name);
        Command.run(List.of("groupdel", name), Duration.ofSeconds(30)); // gone with the user on most systems
        run("groupdel", extra);
    }

    private static long id(String flag, String name) {
        return Long.parseLong(run("id", flag, name).strip());
    }

    private static long gid(String group) {
        return Long.parseLong(run("getent", "group", group).split(":")[2]);
    }

    private static String run(String... command) {
        Command.Result r = Command.run(List.of(command), Duration.ofSeconds(30));
        if (!r.ok()) {
            throw new AssertionError(String.join(" ", command) + " failed with status " + r.status() + ":\n"
                    + r.output());
        }
        return r.output();
    }
}
