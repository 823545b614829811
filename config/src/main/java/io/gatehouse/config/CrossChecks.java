package io.gatehouse.config;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Checks across list items that no single record can see: unique names, no two apps on one host and mount, and (a
 * warning) apps hidden by another's hosts.
 */
final class CrossChecks {

    private CrossChecks() {
    }

    static void check(GatehouseConfig config, ConfigScope document) {
        uniqueNames(document.key("listeners"), "listener", config.listeners(), ListenerConfig::name);
        uniqueNames(document.key("apps"), "app", config.apps(), AppConfig::name);
        distinctRoutes(config.apps(), document.key("apps"));
        HiddenApps.check(config.apps(), document.key("apps"));
    }

    private static <T> void uniqueNames(ConfigScope list, String noun, List<T> items, Function<T, String> name) {
        Map<String, Location> first = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            T item = items.get(i);
            if (item == null || name.apply(item) == null) {
                continue;
            }
            ConfigScope at = list.item(i).key("name");
            Location earlier = first.putIfAbsent(name.apply(item), at.location());
            if (earlier != null) {
                at.error("duplicate " + noun + " name '" + name.apply(item) + "' (first at " + earlier + ")");
            }
        }
    }

    /** Two apps on the same host and mount would make routing depend on their order in the file. */
    private static void distinctRoutes(List<AppConfig> apps, ConfigScope list) {
        Map<String, AppConfig> first = new HashMap<>();
        for (int i = 0; i < apps.size(); i++) {
            AppConfig app = apps.get(i);
            if (app == null || app.mount() == null || HiddenApps.routeFailed(list.item(i))) {
                continue;
            }
            List<String> hosts = app.hosts().isEmpty() ? Collections.singletonList(null) : app.hosts();
            for (String host : hosts) {
                String route = (host == null ? "" : host.toLowerCase(Locale.ROOT)) + " " + app.mount();
                AppConfig earlier = first.putIfAbsent(route, app);
                if (earlier != null && earlier != app) {
                    ConfigScope mount = list.item(i).key("mount");
                    String where = host == null ? "the default host" : "host '" + host + "'";
                    // An app that takes the default mount is blamed as a whole, at its own first line.
                    (mount.written() ? mount : list.item(i)).error(where + " and mount '" + app.mount()
                            + "' are already served by app '" + earlier.name() + "' (at " + earlier.origin() + ")");
                    break;
                }
            }
        }
    }
}
