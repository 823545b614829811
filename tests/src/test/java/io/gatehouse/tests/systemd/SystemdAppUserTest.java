package io.gatehouse.tests.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.tests.support.Command;
import java.time.Duration;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * An app with {@code user:} under the shipped gatehouse.service, in a booted Debian bookworm: refused with the
 * reason as shipped (the master is the gatehouse user, without capabilities), then served as its user once the
 * drop-in of operations.md ("Running as another user") gives the master its capabilities; NoNewPrivileges=yes and
 * the unit's CapabilityBoundingSet= stay as shipped.
 */
class SystemdAppUserTest extends InBookwormContainer {
    static final String APP = """
            import os

            def application(environ, start_response):
                start_response("200 OK", [("Content-Type", "text/plain")])
                return [b"pid=%d ppid=%d" % (os.getpid(), os.getppid())]
            """;
    static final String APPS_D = """
            listeners:
              - {name: who, protocol: http, bind: "127.0.0.1:8000"}
            apps:
              - {name: who, runtime: python, wsgi-file: /srv/who/app.py, user: www-data, limits: {open-files: 256}}
            """;

    @Test
    @Order(1)
    void asShippedTheServiceRefusesAnAppsUserAndSaysWhatItNeeds() {
        container().ok("apt-get install -y ./gatehouse_*_all.deb > /dev/null && mkdir -p /srv/who && "
                + "cat > /srv/who/app.py <<'EOF'\n" + APP + "EOF\n"
                + "cat > /etc/gatehouse/apps.d/who.yaml <<'EOF'\n" + APPS_D + "EOF\n");
        Command.Result reload = container().run("systemctl reload gatehouse", Duration.ofMinutes(1));
        assertNotEquals(0, reload.status(), reload.output());
        String journal = container().journal("gatehouse");
        assertTrue(journal.contains("apps[0].user: starting the app as www-data (uid 33, gid 33) needs root or "
                + "CAP_SETUID CAP_SETGID CAP_CHOWN CAP_KILL (systemd: AmbientCapabilities=)"), journal);
        assertEquals("active\n", container().ok("systemctl is-active gatehouse"), "the old config keeps serving");
    }

    @Test
    @Order(2)
    void withTheDropInTheAppRunsAsItsUserWithoutCapabilities() {
        container().ok("""
                mkdir -p /etc/systemd/system/gatehouse.service.d
                printf '[Service]\\nAmbientCapabilities=CAP_SETUID CAP_SETGID CAP_CHOWN CAP_KILL CAP_NET_BIND_SERVICE\\n' \\
                    > /etc/systemd/system/gatehouse.service.d/users.conf
                systemctl daemon-reload && systemctl restart gatehouse
                """);
        String body = container().ok("curl -s --max-time 30 http://127.0.0.1:8000/");
        assertTrue(body.startsWith("pid="), body);
        String worker = body.substring(4, body.indexOf(' '));
        String forkServer = body.substring(body.indexOf("ppid=") + 5);
        for (String pid : new String[] {worker, forkServer}) {
            assertEquals("33 33 0000000000000000 0000000000000000 256\n", container().ok(
                    "awk '/^Uid:/{u=$3} /^Gid:/{g=$3} /^CapEff:/{e=$2} /^CapPrm:/{p=$2} END{printf \"%s %s %s %s \", "
                    + "u, g, e, p}' /proc/" + pid + "/status; awk '/^Max open files/{print $4}' /proc/" + pid
                    + "/limits"), "pid " + pid);
        }
        String master = container().ok("systemctl show -p MainPID --value gatehouse").strip();
        assertEquals("gatehouse 00000000000004e1\n", container().ok("echo \"$(stat -c %U /proc/" + master + ") "
                + "$(awk '/^CapEff:/{print $2}' /proc/" + master + "/status)\""),
                "the master: the gatehouse user, with setuid, setgid, chown, kill and net_bind_service only");
    }
}
