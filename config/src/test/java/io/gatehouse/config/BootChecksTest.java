package io.gatehouse.config;

import static io.gatehouse.config.TestConfigs.errors;
import static io.gatehouse.config.TestConfigs.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What run opens before serving is checked by check, naming the key, so that run does not fail on it later. */
class BootChecksTest {

    @TempDir
    Path dir;
    Path file;

    @BeforeEach
    void aFileWhereADirectoryShouldBe() throws IOException {
        file = Files.writeString(dir.resolve("file"), "x");
    }

    @Test
    void refusesAPidfileInADirectoryThatDoesNotExist() {
        assertEquals(List.of("site.yaml:1:19: master.pidfile: no such directory: " + dir.resolve("run")),
                errors("master: {pidfile: " + dir.resolve("run/g.pid") + "}\n"));
    }

    @Test
    void refusesLogsThatCannotBeOpened() {
        assertEquals(List.of(
                "site.yaml:2:14: logging.error-log: not a directory: " + file,
                "site.yaml:3:15: logging.access-log: is a directory: " + dir), errors("logging:\n"
                        + "  error-log: " + file.resolve("error.log") + "\n"
                        + "  access-log: " + dir + "\n"));
    }

    @Test
    void takesLogsInAnExistingDirectoryAndTheAccessLogOnStdout() {
        GatehouseConfig c = parse("logging: {error-log: " + dir.resolve("e.log") + ", access-log: \"-\"}\n"
                + "master: {pidfile: " + file + "}\n");
        assertEquals("-", c.logging().accessLog());
    }

    @Test
    void takesASocketWhoseDirectoryTheMasterCanCreate() {
        parse("master: {control-socket: " + dir.resolve("a/b/control.sock") + "}\n"
                + "listeners: [{protocol: uwsgi, bind: \"unix:" + dir.resolve("c/app.sock") + "\"}]\n");
    }

    @Test
    void refusesSocketsThatCannotBeBound() {
        String longName = "x".repeat(120);
        assertEquals(List.of(
                "site.yaml:1:26: master.control-socket: the socket path " + dir.resolve("s" + longName)
                        + " is " + (dir.resolve("s" + longName).toString().length()) + " bytes long; a unix socket "
                        + "path has at most 95 here (the kernel's 107, less the 12 of the temporary name it is bound "
                        + "under); choose a shorter one, e.g. under /run",
                "site.yaml:2:37: listeners[0].bind: not a directory: " + file,
                "site.yaml:3:15: stats.bind: no such directory: " + dir.resolve("none")),
                errors("master: {control-socket: " + dir.resolve("s" + longName) + "}\n"
                        + "listeners: [{protocol: uwsgi, bind: \"unix:" + file.resolve("app.sock") + "\"}]\n"
                        + "stats: {bind: \"unix:" + dir.resolve("none/stats.sock") + "\"}\n"));
    }

    @Test
    void refusesAStatsServerOnAnInheritedSocket() {
        assertEquals(List.of("site.yaml:1:15: stats.bind: the stats server listens on host:port or unix:/path, not "
                + "on systemd:stats"), errors("stats: {bind: \"systemd:stats\"}\n"));
    }

    @Test
    void refusesASocketOwnerThatDoesNotExist() {
        assertEquals(List.of(
                "site.yaml:1:64: listeners[0].owner: no such group: 'no-such-group-here'",
                "site.yaml:1:64: listeners[0].owner: no such user: 'no-such-user-here'"),
                errors("listeners: [{protocol: uwsgi, bind: \"unix:" + dir.resolve("a.sock").toString().replace(
                        dir.toString(), "/tmp") + "\", owner: \"no-such-user-here:no-such-group-here\"}]\n"));
    }

    @Test
    void leavesAPidfileOrSocketThatExistsAlreadyToTheMasterThatMadeIt() throws IOException {
        // A reload checks the config of a master whose pidfile and sockets are in place, maybe after it dropped the
        // privileges that made them; run replaces a stale one in place.
        assumeFalse("root".equals(System.getProperty("user.name")), "root writes in any directory: nothing to show");
        Path run = Files.createDirectories(dir.resolve("run"));
        Files.writeString(run.resolve("g.pid"), "1\n");
        Files.writeString(run.resolve("app.sock"), "");
        run.toFile().setWritable(false);
        try {
            assertEquals(List.of("site.yaml:1:19: master.pidfile: cannot write in " + run + " (permission denied)"),
                    errors("master: {pidfile: " + run.resolve("new.pid") + "}\n"));
            parse("master: {pidfile: " + run.resolve("g.pid") + "}\n"
                    + "listeners: [{protocol: uwsgi, bind: \"unix:" + run.resolve("app.sock") + "\"}]\n");
        } finally {
            run.toFile().setWritable(true);
        }
    }
}
