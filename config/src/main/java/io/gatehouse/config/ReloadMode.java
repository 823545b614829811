package io.gatehouse.config;

/** How the master replaces workers on reload: a whole new generation at once, or one worker at a time. */
public enum ReloadMode {
    GRACEFUL,
    CHAIN
}
