package io.gatehouse.tests.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A process the tests started, with stdout and stderr in one log file; closing it sends SIGTERM, waits, then
 * kills it and its children, so no test leaves a process behind.
 */
public class LoggedProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path log;

    /** Starts {@code command} in {@code dir}, logging to {@code log}. */
    public LoggedProcess(String name, List<String> command, Path dir, Path log, java.util.Map<String, String> env) {
        this.name = name;
        this.log = log;
        // A signal ignored by whatever started the build (a CI job run in the background ignores SIGINT, nohup
        // SIGHUP) would stay ignored in the process; the tests send signals, so it starts with the defaults.
        List<String> withDefaultSignals = new java.util.ArrayList<>(List.of("env", "--default-signal=HUP,INT,TERM"));
        withDefaultSignals.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(withDefaultSignals).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().putAll(env);
        try {
            this.process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + command, e);
        }
    }

    /** The OS process. */
    public Process process() {
        return process;
    }

    /** The process id. */
    public long pid() {
        return process.pid();
    }

    /** Everything the process printed so far. */
    public String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Sends a signal by name (TERM, INT, HUP, USR1, KILL) to the process. */
    public void signal(String signal) {
        signal(process.pid(), signal);
    }

    /** Sends a signal by name to any pid. */
    public static void signal(long pid, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
            kill.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits up to {@code timeout} for the process to exit; returns its status, or -1 if it is still running. */
    public int waitFor(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Fails with the process's output if it has exited. */
    public void assertAlive() {
        if (!process.isAlive()) {
            throw new AssertionError(name + " exited with status " + process.exitValue() + ":\n" + output());
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            signal("TERM");
            if (waitFor(Duration.ofSeconds(10)) < 0) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                waitFor(Duration.ofSeconds(5));
            }
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
    }
}
