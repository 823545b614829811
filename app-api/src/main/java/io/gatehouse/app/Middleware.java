package io.gatehouse.app;

/**
 * Wraps an app the way WSGI middleware wraps a callable. Listed under an app's {@code middleware:} key, the
 * first entry is outermost. Implementations need a public no-argument constructor.
 */
public interface Middleware {

    /** Returns an app that handles requests, typically by delegating to {@code next}. */
    App wrap(App next, AppContext context) throws Exception;
}
