package io.gatehouse.core.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.pool.PoolStatus;
import io.gatehouse.core.pool.WorkerStatus;
import io.gatehouse.core.stats.ServerStatus;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ControlProtocolTest {

    @Test
    void parsesEveryCommand() {
        assertEquals(new ControlProtocol.Command("status", Set.of(), false, false), ControlProtocol.parse("status\r"));
        assertEquals(new ControlProtocol.Command("stop", Set.of(), false, false), ControlProtocol.parse("stop"));
        assertEquals(new ControlProtocol.Command("stop", Set.of(), true, false), ControlProtocol.parse(" stop now "));
    }

    @Test
    void aReloadIsOfEverythingOfTheConfigAloneOrOfTheAppsNamed() {
        assertEquals(ReloadScope.everything(), ControlProtocol.parse("reload").scope());
        assertEquals(ReloadScope.configOnly(), ControlProtocol.parse("reload --config-only").scope());
        assertEquals(ReloadScope.apps(Set.of("a", "b")), ControlProtocol.parse("reload a  b").scope());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ControlProtocol.parse("reload --config-only a"))
                .getMessage().contains("takes no app"));
    }

    @Test
    void rejectsUnknownCommandsAndArguments() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ControlProtocol.parse("restart")).getMessage()
                .startsWith("unknown command 'restart'"));
        assertThrows(IllegalArgumentException.class, () -> ControlProtocol.parse("stop later"));
        assertThrows(IllegalArgumentException.class, () -> ControlProtocol.parse("status x"));
    }

    @Test
    void answersAreOneLineOfJson() {
        assertEquals("{\"ok\":false,\"error\":\"say \\\"status\\\"\"}", ControlProtocol.error("say \"status\""));
        assertEquals("{\"ok\":true,\"refused\":false,\"summary\":\"apps added: a\",\"errors\":[],\"apps\":["
                + "{\"name\":\"a\",\"action\":\"added\",\"detail\":\"1 worker(s) ready\"}]}",
                ControlProtocol.reload(new ReloadReport(true, false, "apps added: a", List.of(),
                        List.of(new ReloadReport.AppOutcome("a", "added", "1 worker(s) ready")))));
        assertTrue(ControlProtocol.stopping(true).startsWith("{\"ok\":true,\"stopping\":\"now\",\"pid\":"));
    }

    @Test
    void statusListsAppsAndWorkersWithRequestAge() {
        WorkerStatus w = new WorkerStatus(1, 4242, 2, "ready", 1, 4, 17, 50_000_000, 1_500_000_000, 90_000_000_000L,
                3_000_000);
        PoolStatus pool = new PoolStatus("web", "ready", 2, 1, 0, 0, 0, null, List.of(w));
        ServerStatus s = new ServerStatus(7, "gatehouse 1.0", 0, 61_000_000_000L, "g.yaml", "ready",
                List.of(new ServerStatus.ListenerInfo("http", "http", "127.0.0.1:80", "127.0.0.1:80", 3, 1024)),
                List.of(new ServerStatus.AppInfo("web", "jvm", "/", List.of(), pool,
                        new ServerStatus.Counters(17, 0, 0, 0, 0, 0), "/etc/g/apps.d/web.yaml")),
                List.of(new ServerStatus.AppsFileInfo("/etc/g/apps.d/web.yaml", false, List.of("web"), List.of()),
                        new ServerStatus.AppsFileInfo("/etc/g/apps.d/x.yaml", true, List.of(), List.of("x.yaml:1:1: e"))));
        String json = ControlProtocol.status(s);
        assertTrue(json.contains("\"workers\":[{\"id\":1,\"pid\":4242,\"generation\":2,\"state\":\"ready\",\"busy\":1,"
                + "\"capacity\":4,\"served\":17,\"rss\":50000000,\"request_age_ms\":1500,\"age_s\":90}]"), json);
        assertTrue(json.contains("\"uptime_s\":61"), json);
        assertTrue(json.contains("\"mount\":\"/\",\"hosts\":[],\"file\":\"/etc/g/apps.d/web.yaml\""), json);
        assertTrue(json.contains("\"apps_files\":[{\"file\":\"/etc/g/apps.d/web.yaml\",\"state\":\"loaded\","
                + "\"apps\":[\"web\"],\"errors\":[]},{\"file\":\"/etc/g/apps.d/x.yaml\",\"state\":\"refused\","
                + "\"apps\":[],\"errors\":[\"x.yaml:1:1: e\"]}]"), json);
        assertTrue(json.contains("{\"name\":\"http\",\"protocol\":\"http\",\"bind\":\"127.0.0.1:80\""), json);
        assertEquals(-1, json.indexOf('\n'));
    }
}
