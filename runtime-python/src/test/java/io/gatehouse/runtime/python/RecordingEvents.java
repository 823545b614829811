package io.gatehouse.runtime.python;

import io.gatehouse.spi.exchange.Exchange;
import io.gatehouse.spi.runtime.Worker;
import io.gatehouse.spi.runtime.WorkerEvents;
import java.util.List;

/** The pool's side for lane tests: what a worker reported, in order, as "ready", "finished NAME", "exited 0 ...". */
record RecordingEvents(List<String> events) implements WorkerEvents {
    @Override
    public void ready(Worker w) {
        events.add("ready");
    }

    @Override
    public void held(Worker w, Exchange exchange) {
        events.add("held " + exchange);
    }

    @Override
    public void started(Worker w, Exchange exchange) {
        events.add("started " + exchange);
    }

    @Override
    public void finished(Worker w, Exchange exchange) {
        events.add("finished " + exchange);
    }

    @Override
    public void exited(Worker w, int status, String detail) {
        events.add("exited " + status + " " + detail);
    }
}
