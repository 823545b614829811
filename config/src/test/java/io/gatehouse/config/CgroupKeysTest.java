package io.gatehouse.config;

import static io.gatehouse.config.TestConfigs.errors;
import static io.gatehouse.config.TestConfigs.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** An app's {@code cgroup} keys: sizes in their units, a CPU share in percent, and what cannot be meant. */
class CgroupKeysTest {

    private static String app(String extra) {
        return "apps:\n  - name: web\n    runtime: python\n" + extra.indent(4);
    }

    @Test
    void bindsEachKeyInItsUnit() {
        CgroupConfig c = parse(app("cgroup: {memory-max: 512MiB, memory-high: 400M, memory-swap-max: 0, "
                + "cpu-max: 150%}")).apps().get(0).cgroup();
        assertEquals(new CgroupConfig(DataSize.ofMebibytes(512), DataSize.ofMebibytes(400), DataSize.ofBytes(0),
                new CpuQuota(150)), c);
        assertEquals(150_000, c.cpuMax().quotaMicros());
        assertEquals("{memory-max: 512MiB, memory-high: 400MiB, memory-swap-max: 0B, cpu-max: 150%}", c.toString());
        assertNull(parse(app("")).apps().get(0).cgroup());
        assertTrue(parse(app("cgroup: {}")).apps().get(0).cgroup().none());
    }

    @Test
    void aCpuShareIsAPercentageOfOneCpu() {
        assertEquals(new CpuQuota(5), CpuQuota.parse("5%"));
        assertEquals(new CpuQuota(400), CpuQuota.parse("400 %"));
        assertEquals(1_000, new CpuQuota(1).quotaMicros());
        assertEquals(List.of("site.yaml:4:23: apps[0].cgroup.cpu-max: 2 what? write a percentage of one CPU: 200% "
                + "for 2 CPU(s), or 50% for half of one"), errors(app("cgroup: {cpu-max: 2}")));
        assertEquals(List.of("site.yaml:4:23: apps[0].cgroup.cpu-max: must be between 1% and 102400%, got 0%"),
                errors(app("cgroup: {cpu-max: 0%}")));
        assertEquals(List.of("site.yaml:4:23: apps[0].cgroup.cpu-max: expected a percentage of one CPU such as 50% "
                + "or 200% (two CPUs), got 'half'"), errors(app("cgroup: {cpu-max: half}")));
    }

    @Test
    void refusesMemoryTooSmallToRunAnAppAndAHighAboveTheMax() {
        assertEquals(List.of("site.yaml:4:26: apps[0].cgroup.memory-max: must be at least 32MiB, got 1MiB"),
                errors(app("cgroup: {memory-max: 1MiB}")));
        assertEquals(List.of("site.yaml:4:47: apps[0].cgroup.memory-high: must be below memory-max (256MiB), got "
                + "512MiB: the app would be killed before it is throttled"),
                errors(app("cgroup: {memory-max: 256MiB, memory-high: 512MiB}")));
        assertEquals(List.of("site.yaml:4:14: apps[0].cgroup.memory-mx: unknown key (did you mean 'memory-max'?)"),
                errors(app("cgroup: {memory-mx: 1GiB}")));
    }
}
