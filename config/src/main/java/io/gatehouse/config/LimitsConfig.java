package io.gatehouse.config;

import java.time.Duration;

/**
 * Resource limits (setrlimit) on each process of an app: its fork server and workers, or each CGI script. A key left
 * out keeps the limit the master has. uWSGI's {@code limit-as}, {@code limit-nproc} and {@code max-fd} are the first
 * three.
 *
 * @param memory    the address space of each process (RLIMIT_AS): virtual memory, so every thread's stack and
 *                  malloc arena counts; for resident memory use {@code reload-on-rss}, for a cap on real memory
 *                  systemd's {@code MemoryMax=}. Written with its unit: uWSGI's limit-as counted megabytes, and a
 *                  bare number here would be bytes
 * @param openFiles open file descriptors of each process (RLIMIT_NOFILE)
 * @param processes processes and threads of the app's user, counted together across the system (RLIMIT_NPROC)
 * @param cpuTime   CPU time of each process (RLIMIT_CPU), in whole seconds: SIGXCPU at the limit, SIGKILL a second
 *                  later
 */
public record LimitsConfig(
        @Min(MIN_MEMORY) @UnitRequired(uwsgi = "megabytes", unit = "MiB") DataSize memory,
        @Min(16) @Max(1_048_576) Long openFiles,
        @Min(1) @Max(4_194_304) Long processes,
        @Min(1000) Duration cpuTime) {

    /** Below this no CPython starts: the interpreter maps more than this before it runs a line. */
    static final long MIN_MEMORY = 32L * 1024 * 1024;

    public LimitsConfig {
        if (cpuTime != null && cpuTime.toNanos() % 1_000_000_000L != 0) {
            throw new ConfigValueException("cpu-time", "must be whole seconds (RLIMIT_CPU counts seconds), got "
                    + DurationFormat.format(cpuTime));
        }
    }

    /** True when no limit is set. */
    public boolean none() {
        return memory == null && openFiles == null && processes == null && cpuTime == null;
    }
}
