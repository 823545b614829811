package io.gatehouse.tests.soak;

import io.gatehouse.tests.support.ProcStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** The soak's samples of the master and its workers over time: resident memory, open files, requests so far. */
final class SoakSamples {
    /** Samples before this are the warm-up (the JIT, pools, the first workers' imports), left out of growth. */
    static final long WARM_UP_NANOS = TimeUnit.MINUTES.toNanos(2);

    /** One sample: memory in MiB. */
    record Sample(long atNanos, long masterRssMiB, int masterFds, int workers, long workersRssMiB, int workersFds,
            long ok, int expected, int unexpected) {
    }

    private final ProcStats master;
    private final List<Sample> samples = new ArrayList<>();

    SoakSamples(long masterPid) {
        this.master = new ProcStats(masterPid);
    }

    void take(long atNanos, SoakTraffic traffic) {
        List<ProcStats> workers = master.descendants();
        long workersRss = workers.stream().mapToLong(ProcStats::rssKb).filter(kb -> kb > 0).sum();
        int workersFds = workers.stream().mapToInt(ProcStats::openFiles).filter(n -> n > 0).sum();
        samples.add(new Sample(atNanos, master.rssKb() / 1024, master.openFiles(), workers.size(),
                workersRss / 1024, workersFds, traffic.ok(), traffic.expected().size(), traffic.unexpected().size()));
    }

    /**
     * True when the run went on past the warm-up, so that growth says something; a shorter run (a try of the
     * command) checks failures only.
     */
    boolean pastWarmUp() {
        return samples.size() > 1 && samples.get(samples.size() - 2).atNanos() >= WARM_UP_NANOS;
    }

    private Sample baseline() {
        return samples.stream().filter(s -> s.atNanos() >= WARM_UP_NANOS).findFirst().orElse(samples.get(0));
    }

    /** The master's resident memory at the end over the first sample after the warm-up. */
    long masterRssGrowthMiB() {
        return samples.get(samples.size() - 1).masterRssMiB() - baseline().masterRssMiB();
    }

    /** The master's open files at the end over the first sample after the warm-up. */
    int masterFdGrowth() {
        return samples.get(samples.size() - 1).masterFds() - baseline().masterFds();
    }

    String report(long minutes, int reloads, SoakTraffic traffic) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "soak of %d min: %d requests ok, %d failed as expected (in flight on "
                + "%d killed workers), %d unexpected; %d reloads; ", minutes, traffic.ok(), traffic.expected().size(),
                traffic.kills(), traffic.unexpected().size(), reloads));
        out.append(pastWarmUp() ? String.format(Locale.ROOT, "master RSS %+d MiB, open files %+d after the warm-up%n",
                masterRssGrowthMiB(), masterFdGrowth()) : "no growth figures: the run ended within the warm-up\n");
        out.append("   min  master-RSS-MiB  master-fds  workers  workers-RSS-MiB  workers-fds  ok  expected  "
                + "unexpected\n");
        for (Sample s : samples) {
            out.append(String.format(Locale.ROOT, "%6.1f  %14d  %10d  %7d  %15d  %11d  %d  %d  %d%n",
                    s.atNanos() / 60e9, s.masterRssMiB(), s.masterFds(), s.workers(), s.workersRssMiB(),
                    s.workersFds(), s.ok(), s.expected(), s.unexpected()));
        }
        traffic.expected().forEach(f -> out.append("expected: ").append(f).append('\n'));
        traffic.unexpected().forEach(f -> out.append("UNEXPECTED: ").append(f).append('\n'));
        return out.toString();
    }
}
