package io.gatehouse.config;

import static io.gatehouse.config.TestConfigs.errors;
import static io.gatehouse.config.TestConfigs.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The keys of privilege drop: an app's user, group and limits, and master.user and master.group. */
class PrivilegeKeysTest {

    private static String app(String extra) {
        return "apps:\n  - name: web\n    runtime: python\n" + extra.indent(4);
    }

    @ParameterizedTest
    @ValueSource(strings = {"www-data", "nobody", "_apt", "33", "0", "svc.web", "machine$"})
    void acceptsNamesAndIds(String user) {
        AppConfig a = parse(app("user: \"" + user + "\"\ngroup: \"" + user + "\"")).apps().get(0);
        assertEquals(user, a.user());
        assertEquals(user, a.group());
    }

    @Test
    void rejectsWhatCannotBeAUserOrAnId() {
        assertEquals(List.of("site.yaml:4:11: apps[0].user: expected a user name or a numeric id, got 'www data'"),
                errors(app("user: www data")));
        assertEquals(List.of("site.yaml:4:12: apps[0].group: expected a group name or a numeric id, got '-g'"),
                errors(app("group: \"-g\"")));
        assertEquals(List.of("site.yaml:4:11: apps[0].user: an id must be at most 4294967294, got 4294967295"),
                errors(app("user: 4294967295")));
    }

    @Test
    void bindsLimitsInTheirUnits() {
        LimitsConfig limits = parse(app("limits: {memory: 512MiB, open-files: 1024, processes: 64, cpu-time: 2m}"))
                .apps().get(0).limits();
        assertEquals(new LimitsConfig(DataSize.ofMebibytes(512), 1024L, 64L, Duration.ofMinutes(2)), limits);
        assertNull(parse(app("")).apps().get(0).limits());
        assertTrue(parse(app("limits: {}")).apps().get(0).limits().none());
    }

    @Test
    void rejectsLimitsOutOfRange() {
        assertEquals(List.of(
                "site.yaml:4:22: apps[0].limits.memory: must be at least 32MiB, got 1MiB",
                "site.yaml:4:40: apps[0].limits.open-files: must be at least 16, got 0",
                "site.yaml:4:54: apps[0].limits.processes: must be at most 4194304, got 5000000",
                "site.yaml:4:73: apps[0].limits.cpu-time: must be at least 1s, got 500ms"),
                errors(app("limits: {memory: 1MiB, open-files: 0, processes: 5000000, cpu-time: 500ms}")));
        assertEquals(List.of("site.yaml:4:24: apps[0].limits.cpu-time: must be whole seconds (RLIMIT_CPU counts "
                + "seconds), got 1500ms"), errors(app("limits: {cpu-time: 1500ms}")));
        assertEquals(List.of("site.yaml:4:14: apps[0].limits.rss: unknown key"), errors(app("limits: {rss: 1}")));
    }

    @Test
    void bindsMasterUserAndGroup() {
        MasterConfig m = parse("master:\n  user: gatehouse\n  group: www-data\n").master();
        assertEquals("gatehouse", m.user());
        assertEquals("www-data", m.group());
        assertEquals(List.of("site.yaml:2:10: master.group: needs master.user: the master drops to a user and its "
                + "group"), errors("master:\n  group: www-data\n"));
    }
}
