package io.gatehouse.config;

import static io.gatehouse.config.TestConfigs.FILE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InterpolationTest {

    private static final Location AT = new Location(FILE, 3, 7);

    private final Problems problems = new Problems();

    private String expand(String text, Map<String, String> env) {
        return new Interpolator(env).expand(text, AT, "master.pidfile", problems);
    }

    private List<String> errors() {
        return problems.errors().stream().map(ConfigError::toString).toList();
    }

    @Test
    void replacesASetVariable() {
        assertEquals("/run/web/gh.pid", expand("/run/${APP}/gh.pid", Map.of("APP", "web")));
        assertEquals(List.of(), errors());
    }

    @Test
    void replacesSeveralVariablesInOneValue() {
        assertEquals("db:5432", expand("${HOST}:${PORT}", Map.of("HOST", "db", "PORT", "5432")));
    }

    @Test
    void usesTheDefaultWhenTheVariableIsUnset() {
        assertEquals(":8080", expand(":${PORT:-8080}", Map.of()));
    }

    @Test
    void usesTheDefaultWhenTheVariableIsEmpty() {
        assertEquals(":8080", expand(":${PORT:-8080}", Map.of("PORT", "")));
    }

    @Test
    void prefersASetValueToTheDefault() {
        assertEquals(":9000", expand(":${PORT:-8080}", Map.of("PORT", "9000")));
    }

    @Test
    void acceptsAnEmptyDefault() {
        assertEquals("x", expand("x${SUFFIX:-}", Map.of()));
        assertEquals(List.of(), errors());
    }

    @Test
    void keepsAnEmptyValueWhenThereIsNoDefault() {
        assertEquals("ab", expand("a${EMPTY}b", Map.of("EMPTY", "")));
        assertEquals(List.of(), errors());
    }

    @Test
    void reportsAnUnsetVariableWithoutDefaultAtTheScalar() {
        expand("/run/${APP}/gh.pid", Map.of());
        assertEquals(List.of("site.yaml:3:7: master.pidfile: environment variable APP is not set"), errors());
    }

    @Test
    void reportsEveryUnsetVariableOfOneValue() {
        expand("${A}${B}", Map.of());
        assertEquals(2, problems.count());
    }

    @Test
    void turnsDoubleDollarIntoALiteralDollar() {
        assertEquals("cost: $5 and ${NOT}", expand("cost: $$5 and $${NOT}", Map.of()));
        assertEquals(List.of(), errors());
    }

    @Test
    void leavesALoneDollarAlone() {
        assertEquals("^/api$", expand("^/api$", Map.of()));
        assertEquals("a$b", expand("a$b", Map.of()));
    }

    @Test
    void reportsAnUnterminatedReference() {
        expand("${HOME", Map.of("HOME", "/root"));
        assertEquals(List.of("site.yaml:3:7: master.pidfile: unterminated ${ in '${HOME' (write $$ for a literal $)"),
                errors());
    }

    @Test
    void reportsAnInvalidVariableName() {
        expand("${1X}", Map.of());
        assertEquals(List.of("site.yaml:3:7: master.pidfile: invalid environment variable name '1X' in ${1X}"), errors());
    }

    @Test
    void interpolatesValuesBeforeTypeConversion() {
        GatehouseConfig config = ConfigLoader.parse("""
                apps:
                  - name: web
                    runtime: python
                    threads: ${THREADS:-4}
                    workers: ${WORKERS}
                """, FILE, Map.of("WORKERS", "3")).config();
        assertEquals(4, config.apps().get(0).threads());
        assertEquals(WorkerCount.of(3), config.apps().get(0).workers());
    }

    @Test
    void reportsTheUnsetVariableWithTheScalarsFileLineAndColumn() {
        List<String> errors = TestConfigs.errors("""
                master:
                  pidfile: ${PIDFILE}
                """);
        assertEquals(List.of("site.yaml:2:12: master.pidfile: environment variable PIDFILE is not set"), errors);
    }

    @Test
    void leavesKeysUninterpolated() {
        List<String> errors = TestConfigs.errors("""
                master:
                  ${KEY}: 1
                """, Map.of("KEY", "pidfile"));
        assertEquals(List.of("site.yaml:2:3: master.${KEY}: unknown key"), errors);
    }

    @Test
    void interpolatesInsideRestOptionsToo() {
        GatehouseConfig config = ConfigLoader.parse("""
                apps:
                  - name: web
                    runtime: python
                    module: ${MODULE:-app:application}
                """, FILE, Map.of()).config();
        ScalarNode module = (ScalarNode) config.apps().get(0).options().node().get("module");
        assertEquals("app:application", module.text());
    }
}
