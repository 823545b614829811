package io.gatehouse.config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Warns of an app without {@code hosts} that another app's hosts hide: the router sends a request for a claimed host
 * only to the apps that list it, so an app that serves "every host" in fact serves only the hosts no app claims.
 */
final class HiddenApps {

    private HiddenApps() {
    }

    static void check(List<AppConfig> apps, ConfigScope list) {
        for (int i = 0; i < apps.size(); i++) {
            AppConfig open = apps.get(i);
            if (open == null || !open.hosts().isEmpty() || open.name() == null || routeFailed(list.item(i))) {
                continue;
            }
            for (int j = 0; j < apps.size(); j++) {
                AppConfig claimer = apps.get(j);
                boolean usable = claimer != null && claimer.name() != null && !routeFailed(list.item(j));
                List<String> hosts = usable ? distinct(claimer.hosts()) : List.of();
                if (!hosts.isEmpty()) {
                    list.item(i).warning(message(open, claimer, hosts));
                }
            }
        }
    }

    /** Whether the app's hosts or mount failed: they then hold stand-ins that would only mislead. */
    static boolean routeFailed(ConfigScope app) {
        return app.key("hosts").failed() || app.key("mount").failed();
    }

    private static String message(AppConfig open, AppConfig claimer, List<String> hosts) {
        String which = hosts.size() == 1 ? "host '" + hosts.get(0) + "'" : "hosts '" + String.join("', '", hosts) + "'";
        String where = claimer.mount() != null && claimer.mount().equals(open.mount())
                ? " at the same mount '" + open.mount() + "'" : " at mount '" + claimer.mount() + "'";
        return "app '" + open.name() + "' has no hosts, so it serves only the hosts no app claims: it is hidden on "
                + which + ", which app '" + claimer.name() + "' (at " + claimer.origin() + ") claims" + where
                + "; a request for a claimed host reaches only the apps that list it, whatever its path";
    }

    private static List<String> distinct(List<String> hosts) {
        Set<String> seen = new LinkedHashSet<>();
        for (String h : hosts) {
            if (h != null && !h.isBlank()) {
                seen.add(h.toLowerCase(Locale.ROOT));
            }
        }
        return new ArrayList<>(seen);
    }
}
