package io.gatehouse.config;

import static io.gatehouse.config.TestConfigs.errors;
import static io.gatehouse.config.TestConfigs.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ModelChecksTest {

    private static String app(String extra) {
        return "apps:\n  - name: web\n    runtime: python\n    " + extra + "\n";
    }

    private static String listener(String extra) {
        return "listeners:\n  - protocol: uwsgi\n    bind: unix:/run/a.sock\n    " + extra + "\n";
    }

    @Test
    void reportsTheDesignDocumentsExample() {
        assertEquals(List.of("site.yaml:9:14: apps[1].workers: must be at least 1, got 0"), errors("""
                apps:
                  - name: a
                    runtime: jvm
                    mount: /a
                  - name: b
                    runtime: jvm
                    mount: /b
                    threads: 2
                    workers: 0
                """));
    }

    @Test
    void reportsMissingRequiredAppKeysAtTheApp() {
        assertEquals(List.of("site.yaml:2:5: apps[0]: missing required key 'runtime'"),
                errors("apps:\n  - name: web\n"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/api", "/api/v1", "/a.b", "/..hidden", "/x..y"})
    void acceptsMountsInCanonicalForm(String mount) {
        assertEquals(mount, parse(app("mount: " + mount)).apps().get(0).mount());
    }

    @Test
    void rejectsMountsThatWouldNeedNormalising() {
        assertEquals(List.of("site.yaml:4:12: apps[0].mount: must start with '/', got 'api'"), errors(app("mount: api")));
        assertEquals(List.of("site.yaml:4:12: apps[0].mount: must not end with '/' (except the root '/'), got '/api/'"),
                errors(app("mount: /api/")));
        assertEquals(List.of("site.yaml:4:12: apps[0].mount: must not contain '//', got '/a//b'"),
                errors(app("mount: /a//b")));
        assertEquals(List.of("site.yaml:4:12: apps[0].mount: must not contain '.' or '..' segments, got '/a/../b'"),
                errors(app("mount: /a/../b")));
        assertEquals(List.of("site.yaml:4:12: apps[0].mount: must not contain '.' or '..' segments, got '/.'"),
                errors(app("mount: /.")));
    }

    @Test
    void rejectsAnEmptyAppName() {
        assertEquals(List.of("site.yaml:2:11: apps[0].name: must not be empty"),
                errors("apps:\n  - name: ' '\n    runtime: jvm\n"));
    }

    @Test
    void checksAppLimitsAtBothSidesOfEachBound() {
        assertEquals(1024, parse(app("threads: 1024")).apps().get(0).threads());
        assertEquals(List.of("site.yaml:4:14: apps[0].threads: must be at most 1024, got 1025"),
                errors(app("threads: 1025")));
        assertEquals(List.of("site.yaml:4:14: apps[0].threads: must be at least 1, got 0"), errors(app("threads: 0")));
        assertEquals(0, parse(app("queue: 0")).apps().get(0).queue());
        assertEquals(List.of("site.yaml:4:12: apps[0].queue: must be at least 0, got -1"), errors(app("queue: -1")));
        assertEquals(List.of("site.yaml:4:19: apps[0].max-requests: must be at least 0, got -1"),
                errors(app("max-requests: -1")));
        assertEquals(List.of("site.yaml:2:15: master.io-threads: must be at least 0, got -1"),
                errors("master:\n  io-threads: -1\n"));
    }

    @Test
    void acceptsAHostAsASingleValue() {
        assertEquals(List.of("example.com"), parse(app("hosts: example.com")).apps().get(0).hosts());
    }

    @Test
    void acceptsOctalModesFromNoneToAll() {
        assertEquals("0000", parse(listener("mode: \"0000\"")).listeners().get(0).mode());
        assertEquals("0777", parse(listener("mode: 0777")).listeners().get(0).mode());
        assertEquals("660", parse(listener("mode: 660")).listeners().get(0).mode());
    }

    @Test
    void rejectsModesThatAreNotOctalPermissions() {
        assertEquals(List.of("site.yaml:4:11: listeners[0].mode: expected an octal file mode from 0000 to 0777,"
                + " got '0778'"), errors(listener("mode: 0778")));
        assertEquals(List.of("site.yaml:4:11: listeners[0].mode: expected an octal file mode from 0000 to 0777,"
                + " got '1777'"), errors(listener("mode: 1777")));
        assertEquals(List.of("site.yaml:2:24: master.control-socket-mode: expected an octal file mode from 0000 to"
                + " 0777, got 'rw-rw----'"), errors("master:\n  control-socket-mode: rw-rw----\n"));
    }

    @Test
    void checksSocketOwners() {
        assertEquals("www-data", parse(listener("owner: www-data")).listeners().get(0).owner());
        assertEquals(List.of("site.yaml:4:12: listeners[0].owner: expected user or user:group, got 'a:b:c'"),
                errors(listener("owner: a:b:c")));
    }

    @Test
    void rejectsSocketPermissionsOnATcpListener() {
        assertEquals(List.of("site.yaml:4:11: listeners[0].mode: applies only to unix sockets, not to :80"),
                errors("listeners:\n  - protocol: http\n    bind: :80\n    mode: 0660\n"));
    }

    @Test
    void namesListenersByNameOrByProtocolAndBind() {
        GatehouseConfig config = parse("""
                listeners:
                  - {name: front, protocol: uwsgi, bind: "unix:/run/a.sock"}
                  - {protocol: http, bind: ":8080"}
                """);
        assertEquals(List.of("front", "http@:8080"),
                config.listeners().stream().map(ListenerConfig::displayName).toList());
    }

    @Test
    void reportsDuplicateListenerNamesAtTheSecondName() {
        assertEquals(List.of("site.yaml:5:11: listeners[1].name: duplicate listener name 'web' (first at site.yaml:2:11)"),
                errors("""
                        listeners:
                          - name: web
                            protocol: http
                            bind: :80
                          - name: web
                            protocol: http
                            bind: :81
                        """));
    }

    @Test
    void allowsListenersWithoutNames() {
        assertEquals(2, parse("listeners:\n  - {protocol: http, bind: ':80'}\n  - {protocol: http, bind: ':81'}\n")
                .listeners().size());
    }

    @Test
    void reportsDuplicateAppNamesAtTheSecondName() {
        assertEquals(List.of("site.yaml:5:11: apps[1].name: duplicate app name 'api' (first at site.yaml:2:11)"),
                errors("""
                        apps:
                          - name: api
                            runtime: jvm
                            mount: /a
                          - name: api
                            runtime: jvm
                            mount: /b
                        """));
    }

    @Test
    void reportsTwoAppsOnTheDefaultHostAndSameMount() {
        assertEquals(List.of("site.yaml:3:5: apps[1]: the default host and mount '/' are already served by app 'a'"
                + " (at site.yaml:2:5)"), errors("""
                        apps:
                          - {name: a, runtime: jvm}
                          - {name: b, runtime: jvm}
                        """));
    }

    @Test
    void reportsTwoAppsOnTheSameHostAndMountIgnoringHostCase() {
        assertEquals(List.of("site.yaml:8:12: apps[1].mount: host 'Shop.example' and mount '/api' are already served"
                + " by app 'a' (at site.yaml:2:5)"), errors("""
                        apps:
                          - name: a
                            runtime: jvm
                            hosts: [shop.example, other.example]
                            mount: /api
                          - name: b
                            runtime: jvm
                            mount: /api
                            hosts: Shop.example
                        """));
    }

    @Test
    void allowsTheSameMountOnOtherHostsAndOtherMountsOnTheSameHost() {
        GatehouseConfig config = parse("""
                apps:
                  - {name: a, runtime: jvm, mount: /api}
                  - {name: b, runtime: jvm, mount: /api, hosts: [x.example]}
                  - {name: c, runtime: jvm, mount: /api, hosts: [y.example]}
                  - {name: d, runtime: jvm, mount: /, hosts: [y.example]}
                  - {name: e, runtime: jvm}
                """);
        assertEquals(5, config.apps().size());
    }

    @Test
    void reportsCrossChecksBesideOtherMistakes() {
        assertEquals(List.of(
                "site.yaml:2:24: apps[0].threads: must be at least 1, got 0",
                "site.yaml:3:12: apps[1].name: duplicate app name 'a' (first at site.yaml:2:12)"), errors("""
                        apps:
                          - {name: a, threads: 0, runtime: jvm, mount: /1}
                          - {name: a, runtime: jvm, mount: /2}
                        """));
    }

    @Test
    void rejectsUnknownReloadAndLogValues() {
        assertEquals(List.of(
                "site.yaml:2:11: master.reload: expected one of graceful, chain, got 'rolling'",
                "site.yaml:4:10: logging.level: expected one of error, warn, info, debug, got 'trace'",
                "site.yaml:5:22: logging.access-log-format: expected one of combined, json, got 'json-lines'"),
                errors("""
                        master:
                          reload: rolling
                        logging:
                          level: trace
                          access-log-format: json-lines
                        """));
    }
}
