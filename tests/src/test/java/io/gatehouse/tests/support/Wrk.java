package io.gatehouse.tests.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** wrk (from Debian) run as a second process for a bounded time, its output parsed for requests and failures. */
public final class Wrk implements AutoCloseable {
    private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
    private static final Pattern SOCKET_ERRORS =
            Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

    private final Process process;
    private final Path output;
    private final int seconds;

    private Wrk(Process process, Path output, int seconds) {
        this.process = process;
        this.output = output;
        this.seconds = seconds;
    }

    /** Starts {@code wrk -t THREADS -c CONNECTIONS -d SECONDS URL}, logging to a file in {@code dir}. */
    public static Wrk start(Path dir, String url, int threads, int connections, int seconds) {
        try {
            Path out = Files.createTempFile(dir, "wrk", ".txt");
            List<String> cmd = new ArrayList<>(List.of("wrk", "-t" + threads, "-c" + connections, "-d" + seconds + "s",
                    "--timeout", "10s", url));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            return new Wrk(p, out, seconds);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start wrk (install Debian's wrk)", e);
        }
    }

    /** What one run measured. */
    public record Result(long requests, long non2xx, long connectErrors, long readErrors, long writeErrors,
            long timeouts, String output) {

        /** Socket errors of every kind. */
        public long socketErrors() {
            return connectErrors + readErrors + writeErrors + timeouts;
        }
    }

    /** Waits for wrk to finish (its duration plus 30 s at most) and parses its report. */
    public Result await() {
        try {
            if (!process.waitFor(seconds + 30L, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("wrk did not finish");
            }
            String text = Files.readString(output);
            Matcher m = REQUESTS.matcher(text);
            if (!m.find()) {
                throw new AssertionError("no wrk report:\n" + text);
            }
            long requests = Long.parseLong(m.group(1));
            Matcher n = NON_2XX.matcher(text);
            long non2xx = n.find() ? Long.parseLong(n.group(1)) : 0;
            Matcher s = SOCKET_ERRORS.matcher(text);
            boolean errors = s.find();
            return new Result(requests, non2xx, errors ? Long.parseLong(s.group(1)) : 0,
                    errors ? Long.parseLong(s.group(2)) : 0, errors ? Long.parseLong(s.group(3)) : 0,
                    errors ? Long.parseLong(s.group(4)) : 0, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
