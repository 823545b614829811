package io.gatehouse.config;

import static io.gatehouse.config.TestConfigs.errors;
import static io.gatehouse.config.TestConfigs.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CheaperConfigTest {

    private static String app(String extra) {
        return "apps:\n  - name: web\n    runtime: jvm\n" + extra;
    }

    @Test
    void bindsCheaperWithDefaults() {
        AppConfig a = parse(app("    workers: 2\n    cheaper: {max: 8}\n")).apps().get(0);
        assertEquals(new CheaperConfig(1, 8, 1, Duration.ofSeconds(30)), a.cheaper());
        assertEquals(Duration.ofSeconds(60), a.bootTimeout());
    }

    @Test
    void cheaperIsOffUnlessWritten() {
        assertNull(parse(app("")).apps().get(0).cheaper());
    }

    @Test
    void requiresMaxAndReportsItAtTheMapping() {
        assertEquals(List.of("site.yaml:5:7: apps[0].cheaper: missing required key 'max'"),
                errors(app("    cheaper:\n      min: 2\n")));
    }

    @Test
    void rejectsMinAboveMaxAtMin() {
        assertEquals(List.of("site.yaml:4:20: apps[0].cheaper.min: must not exceed max (3), got 4"),
                errors(app("    cheaper: {min: 4, max: 3}\n")));
    }

    @Test
    void acceptsMaxAtTheLimitAndRejectsOneMore() {
        assertEquals(1024, parse(app("    cheaper: {max: 1024}\n")).apps().get(0).cheaper().max());
        assertEquals(List.of("site.yaml:4:20: apps[0].cheaper.max: must be at most 1024, got 1025"),
                errors(app("    cheaper: {max: 1025}\n")));
    }

    @Test
    void rejectsWorkersOutsideTheCheaperBounds() {
        assertEquals(List.of("site.yaml:4:14: apps[0].workers: must be between cheaper.min (2) and cheaper.max (4), "
                + "got 5"), errors(app("    workers: 5\n    cheaper: {min: 2, max: 4}\n")));
        assertEquals(4, parse(app("    workers: 4\n    cheaper: {min: 2, max: 4}\n")).apps().get(0).workers()
                .resolve());
    }

    @Test
    void rejectsAZeroIdleTimeAndBootTimeout() {
        assertEquals(List.of("site.yaml:4:29: apps[0].cheaper.idle: must be longer than 0, got 0s"),
                errors(app("    cheaper: {max: 2, idle: 0}\n")));
        assertEquals(List.of("site.yaml:4:19: apps[0].boot-timeout: must be longer than 0, got 0s"),
                errors(app("    boot-timeout: 0\n")));
    }
}
