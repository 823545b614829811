package io.gatehouse.tests.python;

/**
 * The small app the supervision tests run, in each interface with the same URLs (its pid; {@code ?ms=N} to take N
 * ms; {@code ?grow-kb=N} to keep N KiB more): supervised_app.py (WSGI, {@code threads} requests at once per worker)
 * or supervised_asgi_app.py (ASGI, {@code concurrency} requests at once on each worker's event loop).
 */
public enum SupervisedApp {
    WSGI("supervised_app", "threads"),
    ASGI("supervised_asgi_app", "concurrency");

    private final String module;
    private final String lanesKey;

    SupervisedApp(String module, String lanesKey) {
        this.module = module;
        this.lanesKey = lanesKey;
    }

    /** The app's entry (a list item under apps:), each worker running {@code lanes} requests at once. */
    public String app(String name, String mount, int lanes, String extra) {
        return PythonApps.app(name, mount, PythonApps.module(module, lanesKey + ": " + lanes + "\n" + extra));
    }
}
