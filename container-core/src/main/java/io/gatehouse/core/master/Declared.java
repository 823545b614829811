package io.gatehouse.core.master;

import io.gatehouse.core.master.ResolvedConfig.ResolvedApp;
import io.gatehouse.core.master.ResolvedConfig.ResolvedListener;
import java.util.List;

/** The listeners and apps one config file declares (the main file with its includes, or one apps-dir file). */
record Declared(List<ResolvedListener> listeners, List<ResolvedApp> apps) {

    static final Declared NOTHING = new Declared(List.of(), List.of());

    Declared {
        listeners = List.copyOf(listeners);
        apps = List.copyOf(apps);
    }

    boolean isEmpty() {
        return listeners.isEmpty() && apps.isEmpty();
    }
}
