package io.gatehouse.core.master;

import java.util.ArrayList;
import java.util.List;

/**
 * How a reload ended, for the log, {@code gatehouse reload} and systemd.
 *
 * @param ok      true when every app asked for is in service
 * @param refused true when nothing changed because the config (or a socket) was refused
 * @param summary what changed, in one line
 * @param errors  the config's errors; or the apps that failed to start (their previous workers kept serving) and the
 *                services that could not be set up anew (each kept what it ran), though {@code ok} speaks of apps only
 */
public record ReloadReport(boolean ok, boolean refused, String summary, List<String> errors) {

    static ReloadReport refused(String why, List<String> errors) {
        return new ReloadReport(false, true, why, List.copyOf(errors));
    }

    /** This report with {@code failures}, the services that kept what they ran, added to its errors. */
    ReloadReport withServiceFailures(List<String> failures) {
        if (failures.isEmpty()) {
            return this;
        }
        List<String> all = new ArrayList<>(errors);
        all.addAll(failures);
        return new ReloadReport(ok, refused, summary, List.copyOf(all));
    }
}
