package io.gatehouse.config;

import java.util.StringJoiner;

/**
 * Limits on an app as a whole, through a cgroup v2 of its own (every process of the app: its fork server and
 * workers, or its CGI scripts, together; during a graceful reload both generations share them). They need the
 * master's cgroup delegated to it (systemd's {@code Delegate=yes}); the names are those of the cgroup files.
 *
 * @param memoryMax     memory.max: above it the kernel reclaims, then OOM-kills one of the app's processes (the
 *                      pool replaces a worker it kills), as systemd's {@code MemoryMax=}
 * @param memoryHigh    memory.high: above it the app's processes are throttled and reclaimed hard, never killed
 * @param memorySwapMax memory.swap.max: swap the app may use; 0 makes memory-max a limit on memory alone
 * @param cpuMax        cpu.max: the share of CPU time the app's processes may use together, e.g. {@code 50%}
 */
public record CgroupConfig(
        @Min(MIN_MEMORY) DataSize memoryMax,
        @Min(MIN_MEMORY) DataSize memoryHigh,
        DataSize memorySwapMax,
        CpuQuota cpuMax) {

    /** Below this no CPython fork server and worker stay up together. */
    static final long MIN_MEMORY = 32L * 1024 * 1024;

    public CgroupConfig {
        if (memoryMax != null && memoryHigh != null && memoryHigh.compareTo(memoryMax) >= 0) {
            throw new ConfigValueException("memory-high", "must be below memory-max (" + memoryMax + "), got "
                    + memoryHigh + ": the app would be killed before it is throttled");
        }
    }

    /** True when no limit is set. */
    public boolean none() {
        return memoryMax == null && memoryHigh == null && memorySwapMax == null && cpuMax == null;
    }

    /** Whether a key needing the memory controller is set. */
    public boolean needsMemory() {
        return memoryMax != null || memoryHigh != null || memorySwapMax != null;
    }

    /** Whether a key needing the cpu controller is set. */
    public boolean needsCpu() {
        return cpuMax != null;
    }

    /** As written in YAML, the keys set only: {@code {memory-max: 512MiB, cpu-max: 50%}}. */
    @Override
    public String toString() {
        StringJoiner keys = new StringJoiner(", ", "{", "}");
        key(keys, "memory-max", memoryMax);
        key(keys, "memory-high", memoryHigh);
        key(keys, "memory-swap-max", memorySwapMax);
        key(keys, "cpu-max", cpuMax);
        return keys.toString();
    }

    private static void key(StringJoiner keys, String name, Object value) {
        if (value != null) {
            keys.add(name + ": " + value);
        }
    }
}
