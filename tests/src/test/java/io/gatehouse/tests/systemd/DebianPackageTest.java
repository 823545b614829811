package io.gatehouse.tests.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.tests.support.NspawnContainer;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The .deb's life in a booted Debian bookworm ({@link NspawnContainer}), in this order: install, upgrade to the
 * same package with a higher version (rebuilt in the container with dpkg-deb), remove, purge. Each step exits 0,
 * prints no warning or error, leaves {@code dpkg --audit} silent, and leaves the system as Debian policy says.
 * Each step's time goes to the test log.
 */
class DebianPackageTest extends InBookwormContainer {
    private static final Pattern COMPLAINT = Pattern.compile("(?im)^[WE]: |\\bwarning\\b|\\berror\\b");
    private static final String CONFIG = "/etc/gatehouse/gatehouse.yaml";

    @Test
    @Order(1)
    void installCreatesTheUserAndStartsTheService() {
        clean(container().ok("apt-get install -y ./gatehouse_*_all.deb"), List.of());
        assertEquals("ii \nactive\nenabled\ndisabled\ndisabled\n", container().ok("""
                dpkg-query -W -f '${db:Status-Abbrev}\\n' gatehouse
                systemctl is-active gatehouse; systemctl is-enabled gatehouse
                systemctl is-enabled gatehouse.socket gatehouse-uwsgi.socket || true
                """));
        assertEquals("gatehouse www-data\n", container().ok("id -nG gatehouse"));
        assertEquals(" /etc/gatehouse/gatehouse.yaml\n /etc/logrotate.d/gatehouse\n", container().ok(
                "dpkg-query -W -f '${Conffiles}\\n' gatehouse | cut -d' ' -f1,2"));
        assertEquals("gatehouse:gatehouse 750\ngatehouse:gatehouse 750\ngatehouse:gatehouse 755\n", container().ok(
                "stat -c '%U:%G %a' /var/log/gatehouse /var/lib/gatehouse /run/gatehouse"));
        container().ok("gatehouse status -c " + CONFIG + " && test -z \"$(ls -A /etc/gatehouse/apps.d)\"");
    }

    @Test
    @Order(2)
    void upgradeKeepsTheAdminsConfigAndRestartsTheService() {
        container().ok("echo '# edited by the admin' >> " + CONFIG + " && echo 'apps: []' > /etc/gatehouse/apps.d/"
                + "admin.yaml && systemctl reload gatehouse");
        String pid = mainPid();
        String out = container().ok("""
                rm -rf /tmp/up && dpkg-deb -R gatehouse_*_all.deb /tmp/up
                sed -i 's/^Version: .*/&+1/' /tmp/up/DEBIAN/control
                dpkg-deb -Zgzip -b /tmp/up /tmp/gatehouse_up.deb > /dev/null
                dpkg -i /tmp/gatehouse_up.deb
                """);
        clean(out, List.of());
        assertTrue(container().ok("dpkg-query -W -f '${Version}' gatehouse").endsWith("+1"));
        assertEquals("active\n", container().ok("systemctl is-active gatehouse"));
        assertNotEquals(pid, mainPid(), "restarted on the new version");
        assertEquals("# edited by the admin\n", container().ok("tail -n 1 " + CONFIG));
        assertEquals("", container().ok("find /etc -name '*.dpkg-*'"));
        container().ok("gatehouse status -c " + CONFIG);
    }

    @Test
    @Order(3)
    void removeStopsEverythingAndKeepsConfigAndLogs() {
        clean(container().ok("dpkg -r gatehouse"), List.of());
        assertEquals("rc \ninactive\n", container().ok("""
                dpkg-query -W -f '${db:Status-Abbrev}\\n' gatehouse
                systemctl is-active gatehouse || true
                """));
        assertEquals("no process left\n", container().ok("pgrep -u gatehouse || echo 'no process left'"));
        container().ok("test ! -e /usr/bin/gatehouse && test ! -e /usr/share/gatehouse && test -d /var/log/gatehouse"
                + " && tail -n 1 " + CONFIG + " | grep -q 'edited by the admin'");
    }

    @Test
    @Order(4)
    void purgeRemovesWhatThePackageMadeButNotTheAdminsFilesNorTheUser() {
        clean(container().ok("dpkg -P gatehouse"), List.of("dpkg: warning: while removing gatehouse, directory "
                + "'/etc/gatehouse/apps.d' not empty so not removed"));
        assertEquals("unknown\n", container().ok("dpkg-query -W gatehouse > /dev/null 2>&1 || echo unknown"));
        assertEquals("/etc/gatehouse/apps.d/admin.yaml\n", container().ok("find /etc/gatehouse -type f"));
        container().ok("""
                for p in /etc/logrotate.d/gatehouse /var/log/gatehouse /var/lib/gatehouse /run/gatehouse; do
                    if [ -e "$p" ]; then echo "$p is left"; exit 1; fi
                done
                """);
        assertEquals("", container().ok("find /etc/systemd /var/lib/systemd -name '*gatehouse*'"));
        container().ok("id gatehouse");
    }

    /** Fails on any warning or error line but the expected ones, or when dpkg --audit finds anything. */
    private void clean(String output, List<String> expected) {
        String rest = output;
        for (String line : expected) {
            assertTrue(rest.contains(line), "expected '" + line + "' in:\n" + output);
            rest = rest.replace(line, "");
        }
        assertTrue(!COMPLAINT.matcher(rest).find(), output);
        assertEquals("", container().ok("dpkg --audit"));
    }

    private String mainPid() {
        return container().ok("systemctl show -p MainPID --value gatehouse").trim();
    }
}
