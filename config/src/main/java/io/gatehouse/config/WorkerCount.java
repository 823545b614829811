package io.gatehouse.config;

/** How many workers an app runs: a fixed positive number, or {@code auto} for one per available processor. */
public final class WorkerCount {

    /** One worker per processor available to the JVM when the pool starts. */
    public static final WorkerCount AUTO = new WorkerCount(0);

    private final int count;

    private WorkerCount(int count) {
        this.count = count;
    }

    public static WorkerCount of(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("must be at least 1, got " + count);
        }
        return new WorkerCount(count);
    }

    /** Parses {@code auto} or a positive integer. */
    public static WorkerCount parse(String text) {
        if (text.equalsIgnoreCase("auto")) {
            return AUTO;
        }
        if (text.matches("-?\\d{1,9}")) {
            return of(Integer.parseInt(text));
        }
        throw new IllegalArgumentException("expected a positive integer or 'auto', got '" + text + "'");
    }

    public boolean isAuto() {
        return count == 0;
    }

    /** The number of workers to run now; {@code auto} asks the runtime each time, as CPU limits can change. */
    public int resolve() {
        return isAuto() ? Runtime.getRuntime().availableProcessors() : count;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WorkerCount other && other.count == count;
    }

    @Override
    public int hashCode() {
        return Integer.hashCode(count);
    }

    @Override
    public String toString() {
        return isAuto() ? "auto" : Integer.toString(count);
    }
}
