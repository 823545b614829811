package io.gatehouse.tests.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A one-shot host command run to completion within a timeout, with its stdout and stderr as one text. */
public final class Command {
    private Command() {
    }

    /** What a command did: its exit status and everything it printed. */
    public record Result(int status, String output) {
        /** True if it exited 0. */
        public boolean ok() {
            return status == 0;
        }
    }

    /**
     * Runs {@code command} with stdin from /dev/null; past {@code timeout} it and its descendants are killed and an
     * AssertionError names the command.
     */
    public static Result run(List<String> command, Duration timeout) {
        Path out = null;
        try {
            out = Files.createTempFile("gatehouse-command", ".txt");
            Process p = new ProcessBuilder(command).redirectInput(new File("/dev/null")).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s: " + command + "\n"
                        + text(out));
            }
            return new Result(p.exitValue(), text(out));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running " + command);
        } finally {
            if (out != null) {
                out.toFile().delete();
            }
        }
    }

    /** What a command printed, as UTF-8 with any malformed byte replaced (openssl prints binary session data). */
    private static String text(Path out) throws IOException {
        return new String(Files.readAllBytes(out), StandardCharsets.UTF_8);
    }

    /** True if {@code name} is an executable in a directory of PATH (or of the usual sbin directories). */
    public static boolean installed(String name) {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin";
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                return true;
            }
        }
        return false;
    }
}
