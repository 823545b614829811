package io.gatehouse.tests.python;

/** Samples the resident memory (VmRSS) of a process every 10 ms while running, keeping the highest value. */
final class MemorySampler implements AutoCloseable {
    private final long pid;
    private final long baselineKb;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long peakKb;

    MemorySampler(long pid) {
        this.pid = pid;
        this.baselineKb = PythonApps.statusKb(pid, "VmRSS");
        this.peakKb = baselineKb;
        this.thread = new Thread(this::sample, "rss-" + pid);
        thread.setDaemon(true);
        thread.start();
    }

    private void sample() {
        while (running) {
            long kb = PythonApps.statusKb(pid, "VmRSS");
            if (kb > peakKb) {
                peakKb = kb;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Peak minus baseline, in MiB. */
    long growthMiB() {
        return (peakKb - baselineKb) / 1024;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5000);
    }

    @Override
    public String toString() {
        return "pid " + pid + ": baseline " + baselineKb / 1024 + " MiB, peak " + peakKb / 1024 + " MiB";
    }
}
