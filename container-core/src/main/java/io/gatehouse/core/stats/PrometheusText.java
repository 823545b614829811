package io.gatehouse.core.stats;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Prometheus text exposition format (version 0.0.4) of a Micrometer registry: counters as {@code _total},
 * gauges as they are, timers as histograms in seconds ({@code _bucket} with {@code le}, {@code _sum},
 * {@code _count}). Written here because micrometer-core has no Prometheus writer of its own.
 */
public final class PrometheusText {
    /** The Content-Type of this format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private PrometheusText() {
    }

    /** Every meter of {@code registry}, grouped by name, names and labels in Prometheus form. */
    public static String write(MeterRegistry registry) {
        Map<String, List<Meter>> byName = new LinkedHashMap<>();
        List<Meter> meters = new ArrayList<>(registry.getMeters());
        meters.sort(Comparator.comparing((Meter m) -> m.getId().getName()));
        for (Meter m : meters) {
            if (m instanceof Gauge && m.getId().getTag("le") != null) {
                continue; // the registry's own view of a timer's buckets, already written as the histogram
            }
            byName.computeIfAbsent(m.getId().getName(), k -> new ArrayList<>()).add(m);
        }
        StringBuilder out = new StringBuilder(4096);
        byName.forEach((name, group) -> family(out, name, group));
        return out.toString();
    }

    private static void family(StringBuilder out, String name, List<Meter> group) {
        Meter first = group.get(0);
        String base = metricName(name);
        String help = first.getId().getDescription() == null ? name : first.getId().getDescription();
        if (first instanceof Counter || first instanceof FunctionCounter) {
            header(out, base + "_total", help, "counter");
            for (Meter m : group) {
                double v = m instanceof Counter c ? c.count() : ((FunctionCounter) m).count();
                sample(out, base + "_total", m, null, v);
            }
        } else if (first instanceof Timer) {
            header(out, base + "_seconds", help, "histogram");
            for (Meter m : group) {
                histogram(out, base + "_seconds", (Timer) m);
            }
        } else if (first instanceof Gauge) {
            header(out, base, help, "gauge");
            for (Meter m : group) {
                sample(out, base, m, null, ((Gauge) m).value());
            }
        }
    }

    private static void histogram(StringBuilder out, String base, Timer timer) {
        HistogramSnapshot snapshot = timer.takeSnapshot();
        for (CountAtBucket b : snapshot.histogramCounts()) {
            sample(out, base + "_bucket", timer, number(b.bucket(TimeUnit.SECONDS)), b.count());
        }
        sample(out, base + "_bucket", timer, "+Inf", snapshot.count());
        sample(out, base + "_sum", timer, null, snapshot.total(TimeUnit.SECONDS));
        sample(out, base + "_count", timer, null, snapshot.count());
    }

    private static void header(StringBuilder out, String name, String help, String type) {
        out.append("# HELP ").append(name).append(' ').append(help.replace("\\", "\\\\").replace("\n", "\\n"))
                .append('\n').append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void sample(StringBuilder out, String name, Meter m, String le, double value) {
        out.append(name);
        List<Tag> tags = m.getId().getTags();
        if (!tags.isEmpty() || le != null) {
            out.append('{');
            String sep = "";
            for (Tag t : tags) {
                out.append(sep).append(labelName(t.getKey())).append("=\"").append(escape(t.getValue())).append('"');
                sep = ",";
            }
            if (le != null) {
                out.append(sep).append("le=\"").append(le).append('"');
            }
            out.append('}');
        }
        out.append(' ').append(number(value)).append('\n');
    }

    static String metricName(String name) {
        return name.replace('.', '_').replace('-', '_');
    }

    private static String labelName(String key) {
        return key.replace('.', '_').replace('-', '_');
    }

    static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    static String number(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%s", v);
    }
}
