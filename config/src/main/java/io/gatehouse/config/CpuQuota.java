package io.gatehouse.config;

/**
 * A share of CPU time, written as a percentage of one CPU as systemd's {@code CPUQuota=} is: {@code 50%} is half of
 * one CPU, {@code 200%} two whole CPUs. The kernel enforces it per period of {@link #PERIOD_MICROS}; a bare number is
 * refused, as it could mean CPUs or a percentage.
 *
 * @param percent the share, from 1 (one hundredth of a CPU) to {@link #MAX_PERCENT}
 */
public record CpuQuota(int percent) {

    /** The period cgroup v2's {@code cpu.max} is written with, the kernel's default: 100 ms. */
    public static final long PERIOD_MICROS = 100_000;
    /** 1024 CPUs. */
    public static final int MAX_PERCENT = 102_400;

    public CpuQuota {
        if (percent < 1 || percent > MAX_PERCENT) {
            throw new IllegalArgumentException("must be between 1% and " + MAX_PERCENT + "%, got " + percent + "%");
        }
    }

    /** Parses {@code 50%} or {@code 150%}. */
    public static CpuQuota parse(String text) {
        String t = text.strip();
        if (t.matches("\\d{1,9}")) {
            throw new IllegalArgumentException(t + " what? write a percentage of one CPU: " + Long.parseLong(t) * 100
                    + "% for " + Long.parseLong(t) + " CPU(s), or 50% for half of one");
        }
        if (!t.matches("-?\\d{1,9} ?%")) {
            throw new IllegalArgumentException("expected a percentage of one CPU such as 50% or 200% (two CPUs), "
                    + "got '" + text + "'");
        }
        return new CpuQuota(Integer.parseInt(t.substring(0, t.length() - 1).strip()));
    }

    /** The microseconds of each period the app may run. */
    public long quotaMicros() {
        return PERIOD_MICROS * percent / 100;
    }

    @Override
    public String toString() {
        return percent + "%";
    }
}
