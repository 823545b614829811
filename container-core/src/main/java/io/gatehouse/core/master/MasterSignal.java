package io.gatehouse.core.master;

import java.util.function.Consumer;
import java.util.logging.Logger;
import sun.misc.Signal;

/** The signals the master acts on; handlers only hand them to the master's loop. */
public enum MasterSignal implements MasterCommand {
    TERM, INT, QUIT, HUP, USR1;

    private static final Logger LOG = Logger.getLogger(MasterSignal.class.getName());

    /**
     * Routes each signal to {@code sink}. SIGQUIT stays with the JVM (its thread dump): the JVM never lets an
     * application take it, with or without -Xrs; a signal ignored by the parent (nohup and SIGHUP) is skipped too.
     */
    static void installAll(Consumer<MasterCommand> sink) {
        for (MasterSignal s : values()) {
            try {
                Signal.handle(new Signal(s.name()), ignored -> sink.accept(s));
            } catch (IllegalArgumentException e) {
                LOG.fine(() -> "SIG" + s + " stays with the JVM: " + e.getMessage());
            }
        }
    }
}
