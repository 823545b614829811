package io.gatehouse.core.cgroup;

import io.gatehouse.config.CgroupConfig;
import io.gatehouse.config.CpuQuota;
import io.gatehouse.config.DataSize;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An app's {@code cgroup} keys as the values of its cgroup's files, every one of them written: a key left out (or
 * taken out by a reload) writes {@code max}, the kernel's "no limit". memory.high goes before memory.max, so that a
 * lower pair throttles before it kills.
 *
 * @param files each file's name and value, in the order they are written
 */
record CgroupLimits(Map<String, String> files) {

    /** The values for {@code config} (null: no limit at all). */
    static CgroupLimits of(CgroupConfig config) {
        CgroupConfig c = config == null ? new CgroupConfig(null, null, null, null) : config;
        Map<String, String> files = new LinkedHashMap<>();
        files.put("memory.high", bytes(c.memoryHigh()));
        files.put("memory.max", bytes(c.memoryMax()));
        files.put("memory.swap.max", bytes(c.memorySwapMax()));
        CpuQuota cpu = c.cpuMax();
        files.put("cpu.max", (cpu == null ? "max" : Long.toString(cpu.quotaMicros())) + " " + CpuQuota.PERIOD_MICROS);
        return new CgroupLimits(files);
    }

    private static String bytes(DataSize size) {
        return size == null ? "max" : Long.toString(size.bytes());
    }

    /**
     * Writes them to the cgroup {@code dir}. A file that is missing (its controller not enabled) is skipped when its
     * value is {@code max} (no limit asked for) and an error otherwise.
     */
    void writeTo(Path dir) throws IOException {
        for (Map.Entry<String, String> f : files.entrySet()) {
            Path file = dir.resolve(f.getKey());
            if (Files.exists(file)) {
                CgroupFiles.write(file, f.getValue());
            } else if (!f.getValue().startsWith("max")) {
                throw new IOException("no " + file + ": the " + f.getKey().substring(0, f.getKey().indexOf('.'))
                        + " controller is not enabled for the apps' cgroups"
                        + (f.getKey().equals("memory.swap.max") ? " or the kernel does not account swap" : ""));
            }
        }
    }
}
