package io.gatehouse.runtime.python;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.logging.Logger;

/**
 * The app's own output in the server log, one record per line as {@code app[pid]: line}: the workers' stdout and
 * stderr (relayed by the fork server in LOG frames), and the fork server's own (read from its pipe by a thread of
 * its own, which keeps the last lines to explain an early death).
 */
final class PythonOutput {
    private static final Logger OUTPUT = Logger.getLogger("io.gatehouse.python");
    private static final int KEPT_LINES = 10;

    private final ArrayDeque<String> lastLines = new ArrayDeque<>();

    /** Logs each line of {@code text}, written by process {@code pid} of app {@code app}. */
    static void log(String app, long pid, String text) {
        String prefix = app + "[" + pid + "]: ";
        text.stripTrailing().lines().forEach(line -> OUTPUT.info(prefix + line));
    }

    /** Starts a daemon thread logging what {@code process} prints until it closes its output. */
    static PythonOutput follow(String app, Process process) {
        PythonOutput output = new PythonOutput();
        Thread reader = new Thread(() -> output.relay(app, process), "python-" + app + "-" + process.pid());
        reader.setDaemon(true);
        reader.start();
        return output;
    }

    private void relay(String app, Process process) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                synchronized (this) {
                    if (lastLines.size() == KEPT_LINES) {
                        lastLines.poll();
                    }
                    lastLines.add(line);
                }
                log(app, process.pid(), line);
            }
        } catch (IOException e) {
            OUTPUT.fine(() -> app + "[" + process.pid() + "]: output ended: " + e);
        }
    }

    /** The last lines read, oldest first, joined by newlines; empty if none. */
    synchronized String lastLines() {
        return String.join("\n", lastLines);
    }
}
