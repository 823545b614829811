package io.gatehouse.core.listener;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PrivilegedPortsTest {
    private static final IOException DENIED = new IOException("bind(..) failed with error(-13): Permission denied");

    @Test
    void namesTheCapabilityTheUnitSettingAndSocketActivationForALowPort() throws IOException {
        // A buffered reader reads the sysctl in one go, as it must be read.
        int start = Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_unprivileged_port_start"))
                .get(0).strip());
        assumeTrue(start > 80, "this machine lets anyone bind port 80 (ip_unprivileged_port_start=" + start + ")");
        String hint = PrivilegedPorts.hint(80, new IOException("wrapped", DENIED));
        assertTrue(hint.contains("ports under " + start + " need CAP_NET_BIND_SERVICE"), hint);
        assertTrue(hint.contains("AmbientCapabilities=CAP_NET_BIND_SERVICE"), hint);
        assertTrue(hint.contains("bind: systemd:NAME"), hint);
        assertTrue(hint.contains("master.user"), hint);
    }

    @Test
    void saysNothingOfOtherFailuresOrHighPorts() {
        assertEquals("", PrivilegedPorts.hint(80, new BindException("Address already in use")));
        assertEquals("", PrivilegedPorts.hint(8080, DENIED));
        assertEquals("", PrivilegedPorts.hint(0, DENIED));
    }
}
