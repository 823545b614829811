package io.gatehouse.core.master;

import java.util.function.Consumer;
import java.util.logging.Logger;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * The signals the master acts on, each with its handler; the signal handlers only hand them to the master's loop.
 * SIGQUIT is not among them: the JVM keeps it for its thread dump and never lets an application take it (not even
 * with -Xrs), so {@code Signal.handle} refuses it.
 */
enum MasterSignal implements MasterCommand {
    TERM(Master::onTerminate),
    INT(Master::onInterrupt),
    HUP(Master::onHangup),
    USR1(Master::onUsr1);

    private static final Logger LOG = Logger.getLogger(MasterSignal.class.getName());

    private final Consumer<Master> handler;

    MasterSignal(Consumer<Master> handler) {
        this.handler = handler;
    }

    @Override
    public void deliverTo(Master master) {
        handler.accept(master);
    }

    /**
     * Routes each signal to {@code sink}. One ignored by the parent (SIGHUP under nohup, SIGINT in a background job of
     * a script) stays ignored, because the JVM keeps a signal that was ignored at start; that is said once, at start.
     */
    static void installAll(Consumer<MasterCommand> sink) {
        for (MasterSignal s : values()) {
            try {
                if (Signal.handle(new Signal(s.name()), ignored -> sink.accept(s)) == SignalHandler.SIG_IGN) {
                    LOG.warning(() -> "SIG" + s + " was ignored by the process that started gatehouse (nohup, or a"
                            + " background job of a script) and stays ignored; use the control commands instead"
                            + " (docs/signals.md)");
                }
            } catch (IllegalArgumentException e) {
                LOG.fine(() -> "SIG" + s + " stays with the JVM: " + e.getMessage());
            }
        }
    }
}
