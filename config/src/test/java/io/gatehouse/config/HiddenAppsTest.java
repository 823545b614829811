package io.gatehouse.config;

import static io.gatehouse.config.TestConfigs.FILE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An app without hosts that another app's hosts hide is a warning, not an error: the config still loads. */
class HiddenAppsTest {

    private static List<String> warnings(String yaml) {
        return ConfigLoader.parse(yaml, FILE, Map.of()).warnings().stream().map(ConfigError::asWarning).toList();
    }

    @Test
    void warnsOfAnAppHiddenOnAHostAnotherClaimsAtTheSameMount() {
        assertEquals(List.of("site.yaml:2:5: warning: apps[0]: app 'site' has no hosts, so it serves only the hosts "
                + "no app claims: it is hidden on host 'admin.example.com', which app 'admin' (at site.yaml:4:5) "
                + "claims at the same mount '/'; a request for a claimed host reaches only the apps that list it, "
                + "whatever its path"), warnings("""
                apps:
                  - name: site
                    runtime: python
                  - name: admin
                    runtime: python
                    hosts: [admin.example.com, ADMIN.example.com]
                """));
    }

    @Test
    void warnsOfAnAppHiddenOnAHostAnotherClaimsAtAnotherMount() {
        assertEquals(List.of("site.yaml:2:5: warning: apps[0]: app 'site' has no hosts, so it serves only the hosts "
                + "no app claims: it is hidden on hosts 'shop.example.com', '*.shop.example.com', which app 'shop' "
                + "(at site.yaml:4:5) claims at mount '/shop'; a request for a claimed host reaches only the apps "
                + "that list it, whatever its path"), warnings("""
                apps:
                  - name: site
                    runtime: python
                  - name: shop
                    runtime: python
                    mount: /shop
                    hosts: [shop.example.com, "*.shop.example.com"]
                """));
    }

    @Test
    void saysNothingWhenEveryAppListsItsHostsOrNoneDoes() {
        assertEquals(List.of(), warnings("""
                apps:
                  - {name: a, runtime: python, hosts: [a.example.com]}
                  - {name: b, runtime: python, hosts: [b.example.com]}
                """));
        assertEquals(List.of(), warnings("""
                apps:
                  - {name: a, runtime: python}
                  - {name: b, runtime: python, mount: /b}
                """));
    }

    @Test
    void carriesTheWarningsBesideTheErrorsOfAConfigThatFails() {
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class, () ->
                ConfigLoader.parse("apps:\n  - {name: a, runtime: python, workers: 0}\n"
                        + "  - {name: b, runtime: python, hosts: [b.example.com]}\n", FILE, Map.of()));
        assertEquals(1, e.errors().size());
        assertEquals(1, e.warnings().size());
    }
}
