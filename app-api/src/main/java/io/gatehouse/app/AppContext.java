package io.gatehouse.app;

import java.util.Map;

/** What a JVM app learns about its deployment at {@link App#init}. */
public interface AppContext {

    /** The app's name in the config. */
    String name();

    /** The mount prefix ("/" for the root). */
    String mount();

    /** The app's {@code settings:} map from the config, as strings. */
    Map<String, String> settings();
}
