package io.gatehouse.core.master;

import java.util.List;

/**
 * How a reload ended, for the log, {@code gatehouse reload} and systemd.
 *
 * @param ok      true when everything asked for is in service
 * @param refused true when nothing changed because the config (or a socket) was refused
 * @param summary what changed, in one line
 * @param errors  the config's errors, or the apps that failed to start (their previous workers kept serving)
 */
public record ReloadReport(boolean ok, boolean refused, String summary, List<String> errors) {

    static ReloadReport refused(String why, List<String> errors) {
        return new ReloadReport(false, true, why, List.copyOf(errors));
    }
}
