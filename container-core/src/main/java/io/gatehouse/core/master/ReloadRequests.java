package io.gatehouse.core.master;

import java.util.ArrayList;
import java.util.List;

/**
 * The reload requests the master holds: those the reload in progress answers, and those that came during it
 * (they run together, as one reload, once it is done).
 */
final class ReloadRequests {
    private final List<MasterCommand.Reload> answering = new ArrayList<>();
    private final List<MasterCommand.Reload> waiting = new ArrayList<>();

    /** Holds {@code request} for the reload after the one in progress. */
    void await(MasterCommand.Reload request) {
        waiting.add(request);
    }

    /** The requests held for the next reload, taken; empty when there are none. */
    List<MasterCommand.Reload> takeWaiting() {
        List<MasterCommand.Reload> taken = List.copyOf(waiting);
        waiting.clear();
        return taken;
    }

    /** The reload in progress answers {@code requests}. */
    void answering(List<MasterCommand.Reload> requests) {
        answering.addAll(requests);
    }

    /** Answers the requests of the reload in progress with {@code report}. */
    void answer(ReloadReport report) {
        List<MasterCommand.Reload> done = List.copyOf(answering);
        answering.clear();
        complete(done, report);
    }

    /** Refuses every request held, in progress or waiting: the server is stopping. */
    void refuseAll() {
        answer(ReloadReport.refused("the server is stopping", List.of()));
        complete(takeWaiting(), ReloadReport.refused("the server is stopping", List.of()));
    }

    /** Completes each of {@code requests} with {@code report}. */
    static void complete(List<MasterCommand.Reload> requests, ReloadReport report) {
        requests.forEach(r -> r.report().complete(report));
    }
}
