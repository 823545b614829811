package io.gatehouse.tests.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.tests.support.Await;
import io.gatehouse.tests.support.Command;
import io.gatehouse.tests.support.Distribution;
import io.gatehouse.tests.support.NspawnContainer;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * gatehouse.service under a real systemd, installed from the .deb in a booted Debian bookworm
 * ({@link NspawnContainer}): the steps of docs/install.md as written, then reload, a file dropped into apps.d,
 * a reload that loads new code, stop during a slow request, the watchdog, logrotate, a template instance and
 * socket activation, in this order, in one container. Where the
 * container cannot boot the tests are skipped with the reason, and {@link SystemdUnitsTest} still verifies the
 * units. Each step's time goes to the test log.
 */
class SystemdServiceTest extends InBookwormContainer {
    static final String SLOW_APP = """
            import time

            def application(environ, start_response):
                open("/var/lib/gatehouse/slow-started", "w").close()
                seconds = float(environ.get("QUERY_STRING", "").partition("=")[2] or "0")
                time.sleep(seconds)
                start_response("200 OK", [("Content-Type", "text/plain")])
                return [b"slept %g s\\n" % seconds]
            """;

    @Test
    @Order(1)
    void theTenCommandsOfInstallMdServeAFlaskAppThroughNginx() throws IOException {
        String commands = installCommands(Files.readString(Distribution.repositoryRoot().resolve("docs/install.md")));
        assertEquals(10, countCommands(commands), commands);
        String out = container().ok("set -e\n" + commands);
        assertTrue(out.endsWith("Hello from Flask, served by Gatehouse behind nginx\n"), out);
        assertEquals("active\nenabled\n", container().ok("systemctl is-active gatehouse; "
                + "systemctl is-enabled gatehouse"));
        assertEquals("gatehouse:www-data 660\n", container().ok("stat -c '%U:%G %a' /run/gatehouse/uwsgi.sock"));
    }

    @Test
    @Order(2)
    void reloadAppliesAGoodConfigAndRefusesABadOneWhileTheServiceStaysUp() {
        String pid = mainPid();
        container().ok("mkdir -p /srv/slow && cat > /srv/slow/app.py <<'EOF'\n" + SLOW_APP + "EOF\n"
                + "printf 'apps:\\n  - {name: slow, runtime: python, wsgi-file: /srv/slow/app.py, mount: /slow}\\n' "
                + "> /etc/gatehouse/apps.d/slow.yaml && systemctl reload gatehouse");
        assertEquals("slept 0 s\n", curl("/slow?seconds=0"));
        container().ok("echo 'apps: [{name: broken, runtime: python, workers: 0}]' > "
                + "/etc/gatehouse/apps.d/broken.yaml");
        Command.Result refused = container().run("systemctl reload gatehouse", Duration.ofMinutes(1));
        assertNotEquals(0, refused.status(), refused.output());
        container().ok("rm /etc/gatehouse/apps.d/broken.yaml");
        assertEquals(pid, mainPid(), "the same master throughout");
        assertEquals("active\n", container().ok("systemctl is-active gatehouse"));
        assertEquals("Hello from Flask, served by Gatehouse behind nginx\n", curl("/"));
    }

    @Test
    @Order(3)
    void aFileDroppedIntoAppsDStartsItsAppWithoutAReload() {
        String pid = mainPid();
        container().ok("mkdir -p /srv/drop && printf '%s' > /srv/drop/app.py && printf '%s' > "
                .formatted(versionApp("drop 1"), "apps:\\n  - {name: drop, runtime: python, wsgi-file: "
                        + "/srv/drop/app.py, mount: /drop}\\n") + "/etc/gatehouse/apps.d/drop.yaml");
        Await.until("the dropped file's app", Duration.ofSeconds(60),
                () -> container().run("curl -sf http://localhost/drop", Duration.ofSeconds(20)).output()
                        .equals("drop 1\n"));
        assertTrue(container().journal("gatehouse").contains("apps-dir: /etc/gatehouse/apps.d/drop.yaml added; "
                + "reloading its apps"), container().journal("gatehouse"));
        assertEquals(pid, mainPid(), "no restart");
    }

    @Test
    @Order(4)
    void systemctlReloadLoadsNewCode() {
        String pid = mainPid();
        container().ok("printf '%s' > /srv/drop/app.py && systemctl reload gatehouse".formatted(versionApp("drop 2")));
        assertEquals("drop 2\n", curl("/drop"), "the new code answers as soon as systemctl reload returns");
        assertEquals("Hello from Flask, served by Gatehouse behind nginx\n", curl("/"));
        assertEquals(pid, mainPid(), "the same master throughout");
        assertTrue(container().journal("gatehouse").contains("replaced: drop (new code), hello (new code), "
                + "slow (new code)"), container().journal("gatehouse"));
    }

    /** A WSGI app answering {@code version}, as printf's format (no % of its own). */
    static String versionApp(String version) {
        return "def application(environ, start_response):\\n"
                + "    start_response(\"200 OK\", [(\"Content-Type\", \"text/plain\")])\\n"
                + "    return [b\"" + version + "\\\\n\"]\\n";
    }

    @Test
    @Order(5)
    void stopLetsTheRequestInFlightFinishAndLeavesNoProcess() {
        String out = container().ok("""
                rm -f /var/lib/gatehouse/slow-started
                curl -s -w ' %{http_code}' 'http://localhost/slow?seconds=3' > /tmp/slow.out &
                for i in $(seq 100); do [ -e /var/lib/gatehouse/slow-started ] && break; sleep 0.1; done
                systemctl stop gatehouse
                wait
                cat /tmp/slow.out; echo
                systemctl show -p Result --value gatehouse
                pgrep -u gatehouse || echo 'no process left'
                """);
        assertEquals("slept 3 s\n 200\nsuccess\nno process left\n", out, container().journal("gatehouse"));
        container().ok("systemctl start gatehouse");
    }

    @Test
    @Order(6)
    void theWatchdogRestartsAStoppedMaster() {
        container().ok("mkdir -p /etc/systemd/system/gatehouse.service.d && printf '[Service]\\nWatchdogSec=3s\\n"
                + "TimeoutAbortSec=10s\\n' > /etc/systemd/system/gatehouse.service.d/watchdog.conf && "
                + "systemctl daemon-reload && systemctl restart gatehouse");
        Map<String, String> before = show();
        container().ok("kill -STOP " + before.get("MainPID"));
        Await.until("a restart by the watchdog", Duration.ofSeconds(60), () -> {
            Map<String, String> now = show();
            return now.get("ActiveState").equals("active") && !now.get("MainPID").equals(before.get("MainPID"));
        });
        assertNotEquals(before.get("NRestarts"), show().get("NRestarts"));
        assertTrue(container().journal("gatehouse").contains("Watchdog timeout (limit 3s)!"),
                container().journal("gatehouse"));
        container().ok("rm -r /etc/systemd/system/gatehouse.service.d && systemctl daemon-reload "
                + "&& systemctl restart gatehouse");
        assertEquals("Hello from Flask, served by Gatehouse behind nginx\n", curl("/"));
    }

    @Test
    @Order(7)
    void logrotateMakesTheMasterReopenItsAccessLog() {
        curl("/?before-rotation");
        container().ok("logrotate -f /etc/logrotate.d/gatehouse && test -e /var/log/gatehouse/access.log.1");
        curl("/?after-rotation");
        Await.until("the request in the new access.log", Duration.ofSeconds(20), () -> container().run(
                "grep -q after-rotation /var/log/gatehouse/access.log", Duration.ofSeconds(10)).ok());
        assertEquals("", container().ok("grep after-rotation /var/log/gatehouse/access.log.1 || true"));
    }

    @Test
    @Order(8)
    void aTemplateInstanceServesItsOwnConfig() {
        String out = container().ok("""
                cat > /etc/gatehouse/site.yaml <<'EOF'
                master: {control-socket: /run/gatehouse/site/control.sock}
                listeners: [{name: web, protocol: http, bind: "127.0.0.1:8081"}]
                apps: [{name: hello, runtime: python, wsgi-file: /srv/hello/app.py, callable: app}]
                EOF
                systemctl start gatehouse@site
                curl -s http://127.0.0.1:8081/
                systemctl reload gatehouse@site
                gatehouse status -c /etc/gatehouse/site.yaml > /dev/null
                stat -c %U /run/gatehouse/site
                systemctl stop gatehouse@site
                """);
        assertEquals("Hello from Flask, served by Gatehouse behind nginx\ngatehouse\n", out);
    }

    @Test
    @Order(9)
    void withSocketActivationTheFirstRequestStartsTheStoppedService() {
        container().ok("""
                systemctl stop gatehouse
                cp /etc/gatehouse/gatehouse.yaml /root/gatehouse.yaml
                sed -i -e 's|^    bind: unix:/run/gatehouse/uwsgi.sock$|    bind: systemd:uwsgi|' \\
                    -e '/^    mode: "0660"$/d' -e '/^    owner: gatehouse:www-data$/d' /etc/gatehouse/gatehouse.yaml
                grep -q '^    bind: systemd:uwsgi$' /etc/gatehouse/gatehouse.yaml
                systemctl enable --now gatehouse-uwsgi.socket
                """);
        assertEquals("inactive\n", container().run("systemctl is-active gatehouse", Duration.ofSeconds(20)).output());
        assertEquals("Hello from Flask, served by Gatehouse behind nginx\n", curl("/"));
        Await.until("gatehouse.service active", Duration.ofSeconds(30), () -> container().run(
                "systemctl is-active gatehouse", Duration.ofSeconds(10)).ok());
        container().ok("systemctl stop gatehouse && test -S /run/gatehouse/uwsgi.sock");
        assertEquals("Hello from Flask, served by Gatehouse behind nginx\n", curl("/"), "the socket outlives a stop");
        container().ok("systemctl stop gatehouse && systemctl disable --now gatehouse-uwsgi.socket "
                + "&& cp /root/gatehouse.yaml /etc/gatehouse/ && systemctl start gatehouse");
        assertEquals("Hello from Flask, served by Gatehouse behind nginx\n", curl("/"));
    }

    /** The shell block under install.md's ten-command heading. */
    static String installCommands(String markdown) {
        int section = markdown.indexOf("## From the .deb to a Flask app behind nginx, in ten commands");
        assertTrue(section >= 0, "install.md lost its ten-command section");
        int start = markdown.indexOf("```sh\n", section) + "```sh\n".length();
        return markdown.substring(start, markdown.indexOf("\n```", start) + 1);
    }

    /** The commands of a shell block: its lines, less the bodies of here-documents. */
    static int countCommands(String block) {
        int count = 0;
        String heredocEnd = null;
        for (String line : block.split("\n")) {
            if (heredocEnd != null) {
                heredocEnd = line.equals(heredocEnd) ? null : heredocEnd;
            } else if (!line.isBlank()) {
                count++;
                int here = line.indexOf("<<'");
                heredocEnd = here < 0 ? null : line.substring(here + 3, line.indexOf('\'', here + 3));
            }
        }
        return count;
    }

    private String curl(String path) {
        return container().ok("curl -s --max-time 30 'http://localhost" + path + "'");
    }

    private String mainPid() {
        return show().get("MainPID");
    }

    private Map<String, String> show() {
        String out = container().ok("systemctl show -p MainPID -p ActiveState -p NRestarts gatehouse");
        Map<String, String> m = new HashMap<>();
        for (String line : out.split("\n")) {
            m.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
        }
        return m;
    }
}
