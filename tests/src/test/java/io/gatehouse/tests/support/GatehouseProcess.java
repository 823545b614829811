package io.gatehouse.tests.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The built distribution run as a real process ({@code bin/gatehouse run -c FILE}), as a user would run it. */
public final class GatehouseProcess extends LoggedProcess {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private GatehouseProcess(List<String> command, Path dir, Path log, Map<String, String> env) {
        super("gatehouse", command, dir, log, env);
    }

    /** Writes {@code yaml} to {@code dir}/gatehouse.yaml, starts the server and waits until it reports ready. */
    public static GatehouseProcess start(Path dir, String yaml) {
        return start(dir, yaml, Map.of());
    }

    /** As {@link #start(Path, String)}, with extra environment variables. */
    public static GatehouseProcess start(Path dir, String yaml, Map<String, String> env) {
        return start(List.of(), dir, yaml, env);
    }

    /** As {@link #start(Path, String)}, behind {@code prefix} (such as setpriv with its options). */
    public static GatehouseProcess start(List<String> prefix, Path dir, String yaml, Map<String, String> env) {
        Path config = write(dir, "gatehouse.yaml", yaml);
        List<String> command = new java.util.ArrayList<>(prefix);
        command.addAll(List.of(Distribution.launcher().toString(), "run", "-c", config.toString()));
        GatehouseProcess p = new GatehouseProcess(command, dir, dir.resolve("gatehouse.log"), env);
        try {
            Await.until("gatehouse to report ready", READY_TIMEOUT, () -> {
                if (!p.process().isAlive()) {
                    throw new AssertionError("gatehouse exited with status " + p.process().exitValue() + ":\n"
                            + p.output());
                }
                return p.output().contains("gatehouse ready");
            });
        } catch (AssertionError | RuntimeException e) {
            p.close();
            throw e;
        }
        return p;
    }

    /** The outcome of a one-shot command. */
    public record Outcome(int status, String stdout, String stderr) {
    }

    /** Runs {@code bin/gatehouse ARGS...} to completion (at most 60 s). */
    public static Outcome command(Path dir, String... args) {
        try {
            List<String> cmd = new java.util.ArrayList<>();
            cmd.add(Distribution.launcher().toString());
            cmd.addAll(List.of(args));
            Path out = Files.createTempFile(dir, "out", ".txt");
            Path err = Files.createTempFile(dir, "err", ".txt");
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(out.toFile())
                    .redirectError(err.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("gatehouse " + String.join(" ", args) + " did not finish in 60 s");
            }
            return new Outcome(p.exitValue(), Files.readString(out), Files.readString(err));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    /** Writes a file under {@code dir}. */
    public static Path write(Path dir, String name, String content) {
        try {
            Path file = dir.resolve(name);
            Files.createDirectories(file.getParent());
            Files.writeString(file, content, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The example JVM app classes, for configs that mount the example apps. */
    public static Path exampleClasses() {
        return Distribution.repositoryRoot().resolve("examples/jvm-hello/target/classes");
    }

    /** The compiled test classes, for configs that mount the test apps (io.gatehouse.tests.apps). */
    public static Path testClasses() {
        return Distribution.repositoryRoot().resolve("tests/target/test-classes");
    }
}
