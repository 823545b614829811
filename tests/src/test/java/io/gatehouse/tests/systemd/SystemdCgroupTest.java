package io.gatehouse.tests.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.tests.support.Await;
import io.gatehouse.tests.support.Command;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * An app's {@code cgroup} limits under gatehouse.service in a booted Debian bookworm: refused as shipped (no
 * {@code Delegate=yes}) while the other apps serve; with the drop-in of operations.md ("Limits per app with
 * cgroups") the master lives in its leaf and each app's fork server and workers in the app's cgroup, under its
 * limits; an app over its memory-max is OOM-killed and replaced while another serves on; changed limits are written
 * at a reload without new workers; a removed app's cgroup goes. Where the container's cgroup tree cannot delegate
 * the memory and cpu controllers (a cgroup v1 or hybrid host), the refusal is checked and the rest is skipped with
 * the reason.
 */
class SystemdCgroupTest extends InBookwormContainer {
    static final String SERVICE = "/sys/fs/cgroup/system.slice/gatehouse.service";
    static final String APP = """
            import os

            def application(environ, start_response):
                mb = int(environ.get("QUERY_STRING", "").partition("=")[2] or "0")
                hog = b"x" * (mb * 1024 * 1024)  # every page written: resident, counted by the memory controller
                start_response("200 OK", [("Content-Type", "text/plain")])
                return [b"pid=%d ppid=%d held=%d" % (os.getpid(), os.getppid(), len(hog) >> 20)]
            """;
    static final String CALM = """
            listeners:
              - {name: calm, protocol: http, bind: "127.0.0.1:8001"}
            apps:
              - {name: calm, runtime: python, wsgi-file: /srv/app/app.py}
            """;
    static final String HOG = """
            listeners:
              - {name: hog, protocol: http, bind: "127.0.0.1:8002"}
            apps:
              - name: hog
                runtime: python
                wsgi-file: /srv/app/app.py
                cgroup: {memory-max: 96MiB, cpu-max: 50%%%s}
            """;

    private String hogPid;

    @Test
    @Order(1)
    void asShippedTheServiceRefusesCgroupLimitsNamingDelegateYesAndTheOtherAppsServe() {
        // The swap limit only where the kernel accounts swap (else the key is refused, rightly, for that reason).
        String swap = container().run("test -e /sys/fs/cgroup/system.slice/memory.swap.max", Duration.ofSeconds(10))
                .ok() ? ", memory-swap-max: 0" : "";
        container().ok("apt-get install -y ./gatehouse_*_all.deb > /dev/null && mkdir -p /srv/app && "
                + "cat > /srv/app/app.py <<'EOF'\n" + APP + "EOF\n"
                // Reloads come from the test alone, so that a changed file is not reloaded by the watch first.
                + "sed -i 's/^master:$/master:\\n  watch-interval: 1h/' /etc/gatehouse/gatehouse.yaml\n"
                + "cat > /etc/gatehouse/apps.d/calm.yaml <<'EOF'\n" + CALM + "EOF\n"
                + "cat > /etc/gatehouse/apps.d/hog.yaml <<'EOF'\n" + HOG.formatted(swap) + "EOF\n");
        Command.Result reload = container().run("systemctl reload gatehouse", Duration.ofMinutes(1));
        assertNotEquals(0, reload.status(), reload.output());
        String journal = container().journal("gatehouse");
        assertTrue(journal.contains("/etc/gatehouse/apps.d/hog.yaml:7:") && journal.contains("apps[0].cgroup"),
                journal);
        assertTrue(journal.contains("cgroup limits need a cgroup v2 tree delegated to gatehouse (systemd: "
                + "Delegate=yes in a drop-in"), journal);
        assertTrue(calm().startsWith("pid="), "the other apps serve on");
        assertEquals("active\n", container().ok("systemctl is-active gatehouse"));
    }

    @Test
    @Order(2)
    void withDelegateYesEachAppsProcessesRunInItsCgroupUnderItsLimits() {
        container().ok("""
                mkdir -p /etc/systemd/system/gatehouse.service.d
                printf '[Service]\\nDelegate=yes\\n' > /etc/systemd/system/gatehouse.service.d/cgroup.conf
                systemctl daemon-reload && systemctl restart gatehouse
                """);
        assumeTreeDelegates();
        String body = container().ok("curl -s --max-time 30 http://127.0.0.1:8002/");
        Matcher m = Pattern.compile("pid=(\\d+) ppid=(\\d+) held=0").matcher(body);
        assertTrue(m.matches(), body);
        hogPid = m.group(1);
        for (String pid : new String[] {m.group(1), m.group(2)}) {
            assertEquals("0::/system.slice/gatehouse.service/app-hog\n", container().ok("grep '^0::' /proc/" + pid
                    + "/cgroup"), "the worker and its fork server, pid " + pid);
        }
        assertEquals("100663296\n50000 100000\n", container().ok("cat " + SERVICE + "/app-hog/memory.max "
                + SERVICE + "/app-hog/cpu.max"));
        String master = container().ok("systemctl show -p MainPID --value gatehouse").strip();
        assertEquals("0::/system.slice/gatehouse.service/master\n", container().ok("grep '^0::' /proc/" + master
                + "/cgroup"));
        String calm = calm();
        assertEquals("0::/system.slice/gatehouse.service/app-calm\nmax\n", container().ok("grep '^0::' /proc/"
                + calm.substring(4, calm.indexOf(' ')) + "/cgroup; cat " + SERVICE + "/app-calm/memory.max"));
    }

    @Test
    @Order(3)
    void anAppOverItsMemoryMaxIsOomKilledAndReplacedWhileAnotherServesOn() {
        assumeTreeDelegates();
        String out = container().ok("""
                (for i in $(seq 30); do curl -s -o /dev/null -w '%{http_code}\\n' --max-time 10 \\
                    http://127.0.0.1:8001/; sleep 0.1; done) > /tmp/calm.codes &
                echo "hog $(curl -s -o /dev/null -w '%{http_code}' --max-time 60 'http://127.0.0.1:8002/?mb=300')"
                wait
                echo "calm $(sort /tmp/calm.codes | uniq -c | xargs)"
                grep '^oom_kill ' SERVICE/app-hog/memory.events
                """.replace("SERVICE", SERVICE));
        assertTrue(out.startsWith("hog 502\ncalm 30 200\noom_kill "), out);
        assertTrue(Integer.parseInt(out.substring(out.indexOf("oom_kill ") + 9).strip()) >= 1, out);
        Await.until("the hog app's new worker", Duration.ofSeconds(60), () -> container().run(
                "curl -sf --max-time 10 'http://127.0.0.1:8002/?mb=1'", Duration.ofSeconds(20)).output()
                .matches("pid=\\d+ ppid=\\d+ held=1"));
        String body = container().ok("curl -s --max-time 10 'http://127.0.0.1:8002/?mb=1'");
        String pid = body.substring(4, body.indexOf(' '));
        assertNotEquals(hogPid, pid, "a new worker");
        assertEquals("0::/system.slice/gatehouse.service/app-hog\n", container().ok("grep '^0::' /proc/" + pid
                + "/cgroup"));
        hogPid = pid;
        String journal = container().journal("gatehouse");
        assertTrue(journal.contains("died (exit status 137: killed by signal 9 from the kernel's OOM killer, as the "
                + "app reached its cgroup memory-max 96MiB); replacing it"), journal);
        assertEquals("active\n", container().ok("systemctl is-active gatehouse"));
    }

    @Test
    @Order(4)
    void aReloadWritesChangedLimitsToTheAppsCgroupAndKeepsItsWorkers() {
        assumeTreeDelegates();
        String out = container().ok("sed -i 's/memory-max: 96MiB/memory-max: 128MiB/' /etc/gatehouse/apps.d/hog.yaml"
                + " && gatehouse reload --config-only -c /etc/gatehouse/gatehouse.yaml && cat " + SERVICE
                + "/app-hog/memory.max");
        assertTrue(out.contains("hog: retuned (cgroup {memory-max: 96MiB, "), out);
        assertTrue(out.endsWith("\n134217728\n"), out);
        String body = container().ok("curl -s --max-time 10 http://127.0.0.1:8002/");
        assertEquals(hogPid, body.substring(4, body.indexOf(' ')), "the same worker: " + out);
    }

    @Test
    @Order(5)
    void aRemovedAppsCgroupGoesAndTheMastersLeafStaysUntilTheServiceStops() {
        assumeTreeDelegates();
        container().ok("rm /etc/gatehouse/apps.d/hog.yaml && systemctl reload gatehouse");
        Await.until("the removed app's cgroup to go", Duration.ofSeconds(60), () -> container().run(
                "test ! -e " + SERVICE + "/app-hog", Duration.ofSeconds(10)).ok());
        container().ok("test -d " + SERVICE + "/master && test -d " + SERVICE + "/app-calm");
        assertTrue(calm().startsWith("pid="));
        container().ok("systemctl stop gatehouse && test ! -e " + SERVICE);
    }

    private String calm() {
        return container().ok("curl -s --max-time 30 http://127.0.0.1:8001/");
    }

    /**
     * Skips, with the reason, where the container's systemd cannot delegate memory and cpu to the service (a
     * cgroup v1 or hybrid host); the refusal at the start is checked first.
     */
    private void assumeTreeDelegates() {
        String tree = container().ok("echo \"$(stat -fc %T /sys/fs/cgroup) $(cat " + SERVICE
                + "/cgroup.controllers 2>/dev/null)\"").strip();
        boolean delegates = tree.startsWith("cgroup2fs ") && tree.contains("memory") && tree.contains("cpu");
        if (!delegates) {
            String journal = container().journal("gatehouse");
            assertTrue(journal.contains("apps[0].cgroup") && journal.contains("Delegate=yes"), journal);
            assertTrue(calm().startsWith("pid="), "the other apps serve on");
        }
        Assumptions.assumeTrue(delegates, "the container's cgroup tree cannot delegate the memory and cpu "
                + "controllers to a service (/sys/fs/cgroup and the service's cgroup.controllers: '" + tree
                + "'; the host keeps them in cgroup v1); the refusal was checked instead");
    }
}
