package io.gatehouse.app;

/**
 * A JVM app: the Java counterpart of a WSGI callable. Gatehouse calls {@link #call} once per request on
 * one of the app's pool threads, with the request's environ and a {@link Responder} for the answer.
 *
 * <p>An exception thrown before the first body byte is sent becomes a 500; after it, the connection is
 * aborted so the client sees a truncated response rather than a wrong one.
 */
public interface App {

    /** Called once after loading, before the first request. */
    default void init(AppContext context) throws Exception {
    }

    /** Answers one request. */
    void call(Environ environ, Responder responder) throws Exception;

    /** Called once when the app is taken out of service (stop or reload). */
    default void destroy() {
    }
}
