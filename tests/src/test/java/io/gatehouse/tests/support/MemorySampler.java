package io.gatehouse.tests.support;

/** Samples the resident memory (VmRSS) of a process every 10 ms while running, keeping the highest value. */
public final class MemorySampler implements AutoCloseable {
    private final ProcStats process;
    private final long baselineKb;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long peakKb;

    /** Starts sampling {@code pid}, whose resident memory now is the baseline. */
    public MemorySampler(long pid) {
        this.process = new ProcStats(pid);
        this.baselineKb = process.rssKb();
        this.peakKb = baselineKb;
        this.thread = new Thread(this::sample, "rss-" + pid);
        thread.setDaemon(true);
        thread.start();
    }

    private void sample() {
        while (running) {
            long kb = process.rssKb();
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
    public long growthMiB() {
        return (peakKb - baselineKb) / 1024;
    }

    /** The peak, in MiB. */
    public long peakMiB() {
        return peakKb / 1024;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5000);
    }

    @Override
    public String toString() {
        return "pid " + process.pid() + ": baseline " + baselineKb / 1024 + " MiB, peak " + peakKb / 1024 + " MiB";
    }
}
