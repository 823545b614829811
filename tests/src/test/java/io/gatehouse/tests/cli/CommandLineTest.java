package io.gatehouse.tests.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.tests.support.GatehouseProcess;
import io.gatehouse.tests.support.GatehouseProcess.Outcome;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gatehouse command as a user runs it: check, --version, --help, and usage errors. */
class CommandLineTest {
    @TempDir
    Path dir;

    @Test
    void checkPrintsEveryMistakeWithFileLineAndColumnAndExits2() {
        GatehouseProcess.write(dir, "site.yaml", """
                listeners:
                  - protocol: http
                    bind: 127.0.0.1:8080
                apps:
                  - name: hello
                    runtime: jvm
                    class: io.gatehouse.examples.hello.HelloApp
                    workers: 0
                    theads: 4
                """);
        Outcome o = GatehouseProcess.command(dir, "check", "-c", "site.yaml");
        assertEquals(2, o.status(), o.stderr());
        assertTrue(o.stderr().contains("site.yaml:8:14: apps[0].workers: "), o.stderr());
        assertTrue(o.stderr().contains("site.yaml:9:5: apps[0].theads: unknown key (did you mean 'threads'?)"),
                o.stderr());
        assertTrue(o.stderr().contains("2 errors in site.yaml"), o.stderr());
    }

    @Test
    void checkSummarisesAGoodConfigAndExits0() {
        GatehouseProcess.write(dir, "site.yaml", """
                listeners:
                  - name: web
                    protocol: http
                    bind: 127.0.0.1:8080
                apps:
                  - name: hello
                    runtime: jvm
                    mount: /hello
                    class: io.gatehouse.examples.hello.HelloApp
                    classpath: [%s]
                    threads: 4
                """.formatted(GatehouseProcess.exampleClasses()));
        Outcome o = GatehouseProcess.command(dir, "check", "-c", "site.yaml");
        assertEquals(0, o.status(), o.stderr());
        assertTrue(o.stdout().contains("site.yaml: OK"), o.stdout());
        assertTrue(o.stdout().contains("web: http on 127.0.0.1:8080"), o.stdout());
        assertTrue(o.stdout().contains("hello: jvm at /hello, 1 worker(s) x 4 thread(s)"), o.stdout());
    }

    @Test
    void checkNamesAnUnknownProtocolWithASuggestion() {
        GatehouseProcess.write(dir, "site.yaml", """
                listeners:
                  - protocol: htp
                    bind: 127.0.0.1:8080
                """);
        Outcome o = GatehouseProcess.command(dir, "check", "-c", "site.yaml");
        assertEquals(2, o.status());
        assertTrue(o.stderr().contains("listeners[0].protocol: unknown protocol 'htp' (did you mean 'http'?)"),
                o.stderr());
    }

    @Test
    void checkReportsAMissingFile() {
        Outcome o = GatehouseProcess.command(dir, "check", "-c", "nowhere.yaml");
        assertEquals(2, o.status());
        assertTrue(o.stderr().contains("nowhere.yaml"), o.stderr());
    }

    @Test
    void versionAndHelpExit0() {
        Outcome version = GatehouseProcess.command(dir, "--version");
        assertEquals(0, version.status());
        assertTrue(version.stdout().startsWith("gatehouse "), version.stdout());
        Outcome help = GatehouseProcess.command(dir, "--help");
        assertEquals(0, help.status());
        assertTrue(help.stdout().contains("run") && help.stdout().contains("check"), help.stdout());
        Outcome runHelp = GatehouseProcess.command(dir, "run", "--help");
        assertTrue(runHelp.stdout().contains("SIGTERM"), runHelp.stdout());
    }

    @Test
    void aUsageErrorExits64() {
        Outcome o = GatehouseProcess.command(dir, "run");
        assertEquals(64, o.status());
        assertTrue(o.stderr().contains("--config"), o.stderr());
    }
}
