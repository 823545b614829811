package io.gatehouse.config;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/** Checks across list items that no single record can see: unique names, and no two apps on one host and mount. */
final class CrossChecks {

    private CrossChecks() {
    }

    static void check(GatehouseConfig config, MapNode root, Problems problems) {
        uniqueNames("listeners", "listener", config.listeners(), ListenerConfig::name, ListenerConfig::origin,
                root, problems);
        uniqueNames("apps", "app", config.apps(), AppConfig::name, AppConfig::origin, root, problems);
        distinctRoutes(config.apps(), root, problems);
    }

    private static <T> void uniqueNames(String listKey, String noun, List<T> items, Function<T, String> name,
            Function<T, Location> origin, MapNode root, Problems problems) {
        Map<String, Location> first = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            T item = items.get(i);
            if (item == null || name.apply(item) == null) {
                continue;
            }
            Location at = valueLocation(root, listKey, i, "name", origin.apply(item));
            Location earlier = first.putIfAbsent(name.apply(item), at);
            if (earlier != null) {
                problems.add(at, KeyPath.index(listKey, i) + ".name",
                        "duplicate " + noun + " name '" + name.apply(item) + "' (first at " + earlier + ")");
            }
        }
    }

    /** Two apps on the same host and mount would make routing depend on their order in the file. */
    private static void distinctRoutes(List<AppConfig> apps, MapNode root, Problems problems) {
        Map<String, AppConfig> first = new HashMap<>();
        for (int i = 0; i < apps.size(); i++) {
            AppConfig app = apps.get(i);
            if (app == null || app.mount() == null) {
                continue;
            }
            List<String> hosts = app.hosts().isEmpty() ? Collections.singletonList(null) : app.hosts();
            for (String host : hosts) {
                String route = (host == null ? "" : host.toLowerCase(Locale.ROOT)) + " " + app.mount();
                AppConfig earlier = first.putIfAbsent(route, app);
                if (earlier != null && earlier != app) {
                    boolean mountWritten = valueLocation(root, "apps", i, "mount", null) != null;
                    String path = KeyPath.index("apps", i) + (mountWritten ? ".mount" : "");
                    String where = host == null ? "the default host" : "host '" + host + "'";
                    problems.add(valueLocation(root, "apps", i, "mount", app.origin()), path,
                            where + " and mount '" + app.mount() + "' are already served by app '" + earlier.name()
                                    + "' (at " + earlier.origin() + ")");
                    break;
                }
            }
        }
    }

    /** Where {@code listKey[index].key} was written, or {@code fallback} when it was not written there. */
    private static Location valueLocation(MapNode root, String listKey, int index, String key, Location fallback) {
        if (root.get(listKey) instanceof ListNode list && index < list.items().size()
                && list.items().get(index) instanceof MapNode item && item.get(key) != null) {
            return item.get(key).location();
        }
        return fallback;
    }
}
