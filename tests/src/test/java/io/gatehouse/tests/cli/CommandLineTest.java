package io.gatehouse.tests.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.tests.support.GatehouseProcess;
import io.gatehouse.tests.support.GatehouseProcess.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gatehouse command as a user runs it: check, import-uwsgi, --version, --help, and usage errors. */
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

    @Test
    void checkReportsTheRuntimesMistakesBesideAnUnknownKeyAndWhatRunWouldFailToOpen() {
        GatehouseProcess.write(dir, "site.yaml", """
                master:
                  pidfile: %1$s/run/gatehouse.pid
                logging:
                  error-log: %1$s/site.yaml/error.log
                listeners:
                  - protocol: uwsgi
                    bind: unix:%1$s/sockets/app.sock
                apps:
                  - name: site
                    runtime: python
                    wsgi-file: site.wsgi
                    processes: 4
                    reload-on-rss: 256
                    heartbeat: soon
                """.formatted(dir));
        Outcome o = GatehouseProcess.command(dir, "check", "-c", "site.yaml");
        assertEquals(2, o.status(), o.stderr());
        assertTrue(o.stderr().contains("site.yaml:2:12: master.pidfile: no such directory: " + dir.resolve("run")),
                o.stderr());
        assertTrue(o.stderr().contains("site.yaml:4:14: logging.error-log: not a directory: "
                + dir.resolve("site.yaml")), o.stderr());
        assertTrue(o.stderr().contains("site.yaml:11:16: apps[0].wsgi-file: no such file: " + dir.resolve("site.wsgi")),
                o.stderr());
        assertTrue(o.stderr().contains("site.yaml:12:5: apps[0].processes: unknown key (uWSGI's 'processes' is "
                + "'workers' here)"), o.stderr());
        assertTrue(o.stderr().contains("site.yaml:13:20: apps[0].reload-on-rss: 256 what? uWSGI counted megabytes; "
                + "write 256MiB"), o.stderr());
        assertTrue(o.stderr().contains("site.yaml:14:16: apps[0].heartbeat: expected a duration"), o.stderr());
        assertTrue(o.stderr().contains("6 errors in site.yaml"), o.stderr());
    }

    @Test
    void checkPrintsAWarningForAnAppHiddenByAnothersHostsAndExits0() {
        GatehouseProcess.write(dir, "site.yaml", helloHiddenByAdmin("127.0.0.1:8080"));
        Outcome o = GatehouseProcess.command(dir, "check", "-c", "site.yaml");
        assertEquals(0, o.status(), o.stderr());
        assertTrue(o.stdout().contains("site.yaml: OK, with 1 warning"), o.stdout());
        assertTrue(o.stderr().contains("site.yaml:5:5: warning: apps[0]: app 'hello' has no hosts, so it serves only "
                + "the hosts no app claims: it is hidden on host 'admin.example.com', which app 'admin'"), o.stderr());
    }

    /** Two apps at /, one of them only for admin.example.com: the other is hidden there, which is a warning. */
    private static String helloHiddenByAdmin(String bind) {
        return """
                listeners:
                  - protocol: http
                    bind: %2$s
                apps:
                  - {name: hello, runtime: jvm, class: io.gatehouse.examples.hello.HelloApp, classpath: [%1$s]}
                  - {name: admin, runtime: jvm, class: io.gatehouse.examples.hello.HelloApp, classpath: [%1$s],
                     hosts: [admin.example.com]}
                """.formatted(GatehouseProcess.exampleClasses(), bind);
    }

    @Test
    void runLogsTheWarningsCheckPrints() {
        try (GatehouseProcess server = GatehouseProcess.start(dir, helloHiddenByAdmin("127.0.0.1:0"))) {
            assertTrue(server.output().contains("WARN [ResolvedConfig] " + dir.resolve("gatehouse.yaml")
                    + ":5:5: apps[0]: app 'hello' has no hosts"), server.output());
        }
    }

    @Test
    void importUwsgiConvertsAnIniIntoAConfigThatChecks() throws Exception {
        GatehouseProcess.write(dir, "hello.py", "def application(environ, start_response):\n    pass\n");
        GatehouseProcess.write(dir, "uwsgi.ini", """
                [uwsgi]
                socket = %dapp.sock
                chmod-socket = 660
                wsgi-file = %dhello.py
                master = true
                processes = 4
                harakiri = 30
                reload-on-rss = 256
                """);
        Outcome o = GatehouseProcess.command(dir, "import-uwsgi", "uwsgi.ini", "-o", "site.yaml");
        assertEquals(0, o.status(), o.stderr());
        String yaml = Files.readString(dir.resolve("site.yaml"));
        assertTrue(yaml.contains("reload-on-rss: 256MiB") && yaml.contains("# uWSGI: reload-on-rss = 256"), yaml);
        assertTrue(yaml.contains("#   master = true (uwsgi.ini:5): the master always runs"), yaml);
        Outcome check = GatehouseProcess.command(dir, "check", "-c", "site.yaml");
        assertEquals(0, check.status(), check.stderr() + yaml);
        assertTrue(check.stdout().contains("hello: python at /, 4 worker(s) x 1 thread(s)"), check.stdout());
    }

    @Test
    void importUwsgiListsWhatHasNoEquivalentAndExits1() {
        GatehouseProcess.write(dir, "uwsgi.yaml", """
                uwsgi:
                  http-socket: 127.0.0.1:8000
                  module: site.wsgi
                  uid: www-data
                  cron: 0 3 -1 -1 -1 /srv/cleanup
                """);
        Outcome o = GatehouseProcess.command(dir, "import-uwsgi", "uwsgi.yaml");
        assertEquals(1, o.status(), o.stderr());
        assertTrue(o.stdout().contains("  - protocol: http") && o.stdout().contains("module: site.wsgi"), o.stdout());
        assertTrue(o.stdout().contains("    user: www-data") && o.stdout().contains("# uWSGI: uid = www-data"),
                o.stdout());
        assertTrue(o.stderr().contains("uwsgi.yaml:5: cron = 0 3 -1 -1 -1 /srv/cleanup: not converted: use a systemd "
                + "timer, or cron") && !o.stderr().contains("uid"), o.stderr());
        assertTrue(o.stdout().contains("#   cron = 0 3 -1 -1 -1 /srv/cleanup (uwsgi.yaml:5): use a systemd timer"),
                o.stdout());
    }

    @Test
    void importUwsgiReportsAnUnreadableConfigAndExits2() {
        Outcome o = GatehouseProcess.command(dir, "import-uwsgi", "nowhere.ini");
        assertEquals(2, o.status(), o.stderr());
        assertTrue(o.stderr().startsWith("gatehouse: nowhere.ini: cannot read"), o.stderr());
        GatehouseProcess.write(dir, "other.ini", "[app]\nmaster\n");
        Outcome section = GatehouseProcess.command(dir, "import-uwsgi", "other.ini");
        assertEquals(2, section.status(), section.stderr());
        assertTrue(section.stderr().contains("other.ini: no [uwsgi] section, or it is empty"), section.stderr());
        assertEquals(0, GatehouseProcess.command(dir, "import-uwsgi", "other.ini:app").status());
    }
}
