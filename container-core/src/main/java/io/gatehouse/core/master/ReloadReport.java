package io.gatehouse.core.master;

import java.util.ArrayList;
import java.util.List;

/**
 * How a reload ended, for the log, {@code gatehouse reload} and systemd.
 *
 * @param ok      true when every app asked for is in service and no apps-dir file was refused
 * @param refused true when nothing changed because the config (or a socket) was refused
 * @param summary what changed, in one line
 * @param errors  the config's errors; or the apps that failed to start (their previous workers kept serving), the
 *                apps-dir files refused (their previous apps kept running) and the services that could not be set
 *                up anew (each kept what it ran), though {@code ok} does not speak of services
 * @param apps    what happened to each app
 */
public record ReloadReport(boolean ok, boolean refused, String summary, List<String> errors, List<AppOutcome> apps) {

    /**
     * What a reload did to one app.
     *
     * @param app    its name
     * @param action added, removed, replaced, retuned, rerouted, unchanged, or failed (its new workers did not
     *               start, and its previous ones, if any, serve on)
     * @param detail why, and how it went, for people
     */
    public record AppOutcome(String app, String action, String detail) {
    }

    public ReloadReport {
        errors = List.copyOf(errors);
        apps = List.copyOf(apps);
    }

    static ReloadReport refused(String why, List<String> errors) {
        return new ReloadReport(false, true, why, errors, List.of());
    }

    /** This report with the errors of refused apps-dir files added: the reload is then not ok. */
    ReloadReport withRefusedFiles(List<String> refusals) {
        return refusals.isEmpty() ? this : new ReloadReport(false, refused, summary, concat(errors, refusals), apps);
    }

    /** This report with {@code failures}, the services that kept what they ran, added to its errors. */
    ReloadReport withServiceFailures(List<String> failures) {
        return failures.isEmpty() ? this : new ReloadReport(ok, refused, summary, concat(errors, failures), apps);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
