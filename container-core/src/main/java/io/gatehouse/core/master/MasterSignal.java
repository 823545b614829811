package io.gatehouse.core.master;

import java.util.function.Consumer;
import java.util.logging.Logger;
import sun.misc.Signal;

/** The signals the master acts on; handlers only hand them to the master's loop. */
public enum MasterSignal {
    TERM, INT, QUIT, HUP, USR1;

    private static final Logger LOG = Logger.getLogger(MasterSignal.class.getName());

    /** Routes each signal to {@code sink}; a signal the JVM keeps for itself (QUIT without -Xrs) is skipped. */
    static void installAll(Consumer<MasterSignal> sink) {
        for (MasterSignal s : values()) {
            try {
                Signal.handle(new Signal(s.name()), ignored -> sink.accept(s));
            } catch (IllegalArgumentException e) {
                LOG.fine(() -> "SIG" + s + " stays with the JVM: " + e.getMessage());
            }
        }
    }
}
