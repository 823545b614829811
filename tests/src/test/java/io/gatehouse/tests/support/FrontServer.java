package io.gatehouse.tests.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real front server (nginx, lighttpd, Apache httpd) started by a test from its Debian package, with every file it
 * writes inside the test's directory and one listener on 127.0.0.1. Closing it stops it.
 */
public class FrontServer extends LoggedProcess {
    private final int port;
    private final Path dir;
    private final String name;

    FrontServer(String name, List<String> command, Path dir, int port) {
        super(name, command, dir, dir.resolve(name + ".out"), Map.of());
        this.name = name;
        this.port = port;
        this.dir = dir;
        try {
            Await.until(name + " to listen on " + port, Duration.ofSeconds(20), () -> {
                if (!process().isAlive()) {
                    throw new AssertionError(name + " exited with status " + process().exitValue() + ":\n"
                            + output() + "\n" + errorLog());
                }
                return Await.listening(port);
            });
        } catch (AssertionError | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The port it listens on (127.0.0.1). */
    public int port() {
        return port;
    }

    /** The base URL, {@code http://127.0.0.1:PORT}. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** The server's own error log, for assertion messages. */
    public String errorLog() {
        try {
            Path log = dir.resolve(name + "-error.log");
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** True when the tests run as root, where servers must be told which user to run their workers as. */
    static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Makes {@code dir} and its parents traversable, so a server's worker user can reach sockets in it. */
    static void openUp(Path dir) {
        try {
            for (Path p = dir; p != null && !p.equals(Path.of("/tmp")) && !p.equals(Path.of("/")); p = p.getParent()) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path mkdirs(Path dir, String... names) {
        try {
            for (String n : names) {
                Files.createDirectories(dir.resolve(n));
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
