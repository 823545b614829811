package io.gatehouse.tests.apps;

import io.gatehouse.app.App;
import io.gatehouse.app.AppContext;
import io.gatehouse.app.Environ;
import io.gatehouse.app.Responder;

/** An app whose init always throws, as an app that cannot import its settings would: for crash-loop tests. */
public final class FailsInitApp implements App {
    @Override
    public void init(AppContext context) {
        throw new IllegalStateException("cannot connect to the database at db.invalid:5432");
    }

    @Override
    public void call(Environ environ, Responder responder) {
        throw new AssertionError("never called");
    }
}
