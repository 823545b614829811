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
 * An app's {@code cgroup} limits under gatehouse.service in a booted Debian bookworm with the unified cgroup
 * hierarchy: refused as shipped (no {@code Delegate=yes}) while the other apps serve. With the drop-in of
 * operations.md ("Limits per app with cgroups") the master lives in its leaf and each app's fork server and
 * workers in the app's cgroup; a removed app's cgroup goes, and systemd removes the tree at stop. Where the tree
 * has the memory and cpu controllers, the limits apply: an app over its memory-max is OOM-killed and replaced while
 * another serves on, and changed limits are written at a reload without new workers. Where it has not (the host
 * keeps them in cgroup v1), the keys are refused with that reason, and those tests are skipped saying so.
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
    /** An app file of its own: a listener on {@code port} and one app at {@code mount}, with {@code keys}. */
    static final String APP_FILE = """
            listeners:
              - {name: %1$s, protocol: http, bind: "127.0.0.1:%2$d"}
            apps:
              - name: %1$s
                runtime: python
                wsgi-file: /srv/app/app.py
                mount: %3$s
            %4$s""";
    static final Pattern BODY = Pattern.compile("pid=(\\d+) ppid=(\\d+) held=(\\d+)");

    private String hogPid;

    @Override
    boolean unifiedCgroups() {
        return true;
    }

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
                + appFile("calm", 8001, "/", "") + appFile("spare", 8003, "/spare", "")
                + appFile("hog", 8002, "/hog", "    cgroup: {memory-max: 96MiB, cpu-max: 50%" + swap + "}\n"));
        Command.Result reload = container().run("systemctl reload gatehouse", Duration.ofMinutes(1));
        assertNotEquals(0, reload.status(), reload.output());
        String journal = container().journal("gatehouse");
        assertTrue(journal.contains("/etc/gatehouse/apps.d/hog.yaml:8:") && journal.contains("apps[0].cgroup"),
                journal);
        assertTrue(journal.contains("cgroup limits need a cgroup v2 tree delegated to gatehouse (systemd: "
                + "Delegate=yes in a drop-in"), journal);
        assertTrue(get(8001, "/").startsWith("pid="), "the other apps serve on");
        assertEquals("active\n", container().ok("systemctl is-active gatehouse"));
    }

    @Test
    @Order(2)
    void withDelegateYesTheMasterLivesInItsLeafAndEachAppInItsCgroup() {
        container().ok("""
                mkdir -p /etc/systemd/system/gatehouse.service.d
                printf '[Service]\\nDelegate=yes\\n' > /etc/systemd/system/gatehouse.service.d/cgroup.conf
                systemctl daemon-reload && systemctl restart gatehouse
                """);
        Assumptions.assumeTrue(container().ok("stat -fc %T /sys/fs/cgroup").equals("cgroup2fs\n"),
                "the container has no unified cgroup v2 hierarchy");
        String master = container().ok("systemctl show -p MainPID --value gatehouse").strip();
        assertEquals("/system.slice/gatehouse.service/master", cgroupOf(master));
        assertInItsCgroup("calm", body(8001, "/"));
        assertInItsCgroup("spare", body(8003, "/spare"));
        if (limitsApply()) {
            Matcher m = body(8002, "/hog");
            hogPid = m.group(1);
            assertEquals("/system.slice/gatehouse.service/app-hog", cgroupOf(m.group(1)));
            assertEquals("/system.slice/gatehouse.service/app-hog", cgroupOf(m.group(2)));
            assertEquals("100663296\n50000 100000\n", container().ok("cat " + SERVICE + "/app-hog/memory.max "
                    + SERVICE + "/app-hog/cpu.max"));
            assertEquals("max\n", container().ok("cat " + SERVICE + "/app-calm/memory.max"));
        } else {
            // This start's own lines: the refusal before the drop-in said the same.
            String journal = container().ok("journalctl --no-pager -o cat _SYSTEMD_INVOCATION_ID=$(systemctl show "
                    + "-p InvocationID --value gatehouse)");
            assertTrue(journal.contains("hog.yaml:8:") && journal.contains("apps[0].cgroup.memory-max: needs "
                    + "cgroup v2's memory controller, but ") && journal.contains("Delegate=yes"), journal);
            assertNotEquals(0, container().run("curl -sf --max-time 10 http://127.0.0.1:8002/hog",
                    Duration.ofSeconds(20)).status(), "the refused app's file, listener and all, is not served");
        }
    }

    @Test
    @Order(3)
    void anAppOverItsMemoryMaxIsOomKilledAndReplacedWhileAnotherServesOn() {
        assumeLimitsApply();
        Assumptions.assumeTrue(container().run("test -e " + SERVICE + "/app-hog/memory.swap.max || "
                + "! awk 'NR > 1' /proc/swaps | grep -q .", Duration.ofSeconds(10)).ok(), "this machine swaps and "
                + "its kernel does not account swap per cgroup: over memory-max the app is swapped out, not killed");
        String out = container().ok("""
                (for i in $(seq 30); do curl -s -o /dev/null -w '%{http_code}\\n' --max-time 10 \\
                    http://127.0.0.1:8001/; sleep 0.1; done) > /tmp/calm.codes &
                echo "hog $(curl -s -o /dev/null -w '%{http_code}' --max-time 60 'http://127.0.0.1:8002/hog?mb=300')"
                wait
                echo "calm $(sort /tmp/calm.codes | uniq -c | xargs)"
                grep '^oom_kill ' SERVICE/app-hog/memory.events
                """.replace("SERVICE", SERVICE));
        assertTrue(out.startsWith("hog 502\ncalm 30 200\noom_kill "), out);
        assertTrue(Integer.parseInt(out.substring(out.indexOf("oom_kill ") + 9).strip()) >= 1, out);
        Await.until("the hog app's new worker", Duration.ofSeconds(60), () -> container().run(
                "curl -sf --max-time 10 'http://127.0.0.1:8002/hog?mb=1'", Duration.ofSeconds(20)).output()
                .matches("pid=\\d+ ppid=\\d+ held=1"));
        String pid = body(8002, "/hog").group(1);
        assertNotEquals(hogPid, pid, "a new worker");
        assertEquals("/system.slice/gatehouse.service/app-hog", cgroupOf(pid));
        hogPid = pid;
        String journal = container().journal("gatehouse");
        assertTrue(journal.contains("died (exit status 137: killed by signal 9 from the kernel's OOM killer, as the "
                + "app reached its cgroup memory-max 96MiB); replacing it"), journal);
        assertEquals("active\n", container().ok("systemctl is-active gatehouse"));
    }

    @Test
    @Order(4)
    void aReloadWritesChangedLimitsToTheAppsCgroupAndKeepsItsWorkers() {
        assumeLimitsApply();
        String out = container().ok("sed -i 's/memory-max: 96MiB/memory-max: 128MiB/' /etc/gatehouse/apps.d/hog.yaml"
                + " && gatehouse reload --config-only -c /etc/gatehouse/gatehouse.yaml && cat " + SERVICE
                + "/app-hog/memory.max");
        assertTrue(out.contains("hog: retuned (cgroup {memory-max: 96MiB, "), out);
        assertTrue(out.endsWith("\n134217728\n"), out);
        assertEquals(hogPid, body(8002, "/hog").group(1), "the same worker: " + out);
    }

    @Test
    @Order(5)
    void aRemovedAppsCgroupGoesAndSystemdRemovesTheTreeAtStop() {
        Assumptions.assumeTrue(container().run("test -d " + SERVICE + "/master", Duration.ofSeconds(10)).ok(),
                "the master has no leaf: see the test before");
        container().ok("rm /etc/gatehouse/apps.d/spare.yaml /etc/gatehouse/apps.d/hog.yaml && "
                + "systemctl reload gatehouse");
        Await.until("the removed apps' cgroups to go", Duration.ofSeconds(60), () -> container().run(
                "test ! -e " + SERVICE + "/app-spare -a ! -e " + SERVICE + "/app-hog", Duration.ofSeconds(10)).ok());
        container().ok("test -d " + SERVICE + "/master && test -d " + SERVICE + "/app-calm");
        assertTrue(get(8001, "/").startsWith("pid="));
        container().ok("systemctl stop gatehouse");
        Await.until("systemd to remove the service's cgroup tree", Duration.ofSeconds(20), () -> container().run(
                "test ! -e " + SERVICE, Duration.ofSeconds(10)).ok());
    }

    static String appFile(String name, int port, String mount, String keys) {
        return "cat > /etc/gatehouse/apps.d/" + name + ".yaml <<'EOF'\n" + APP_FILE.formatted(name, port, mount, keys)
                + "EOF\n";
    }

    private void assertInItsCgroup(String app, Matcher body) {
        assertEquals("/system.slice/gatehouse.service/app-" + app, cgroupOf(body.group(1)), app + "'s worker");
        assertEquals("/system.slice/gatehouse.service/app-" + app, cgroupOf(body.group(2)), app + "'s fork server");
    }

    private String get(int port, String path) {
        return container().ok("curl -s --max-time 30 'http://127.0.0.1:" + port + path + "'");
    }

    private Matcher body(int port, String path) {
        String body = get(port, path);
        Matcher m = BODY.matcher(body);
        assertTrue(m.matches(), body);
        return m;
    }

    private String cgroupOf(String pid) {
        return container().ok("grep '^0::' /proc/" + pid + "/cgroup").strip().substring(3);
    }

    /** Whether the service's delegated cgroup has the memory and cpu controllers (not on a hybrid host). */
    private boolean limitsApply() {
        String controllers = container().ok("cat " + SERVICE + "/cgroup.controllers 2>/dev/null || true");
        return controllers.contains("memory") && controllers.contains("cpu");
    }

    private void assumeLimitsApply() {
        Assumptions.assumeTrue(limitsApply(), "the service's delegated cgroup has no memory and cpu controllers ("
                + SERVICE + "/cgroup.controllers: '" + container().ok("cat " + SERVICE + "/cgroup.controllers "
                + "2>/dev/null || true").strip() + "'; the host keeps them in cgroup v1): the keys were refused "
                + "with that reason instead");
    }
}
