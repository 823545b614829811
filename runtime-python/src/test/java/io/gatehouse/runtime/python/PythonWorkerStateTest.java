package io.gatehouse.runtime.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.runtime.python.PythonWorkerState.Lifecycle;
import io.gatehouse.spi.runtime.Worker;
import org.junit.jupiter.api.Test;

/** A worker's lifecycle, step by step, without a process: what each event moves it to, and what it reports. */
class PythonWorkerStateTest {
    private static final long PID = 4242;

    private final PythonWorkerState state = new PythonWorkerState();

    /** Forked, both lanes connected: SERVING. */
    private void serve() {
        assertFalse(state.forked(PID));
        assertTrue(state.connected(PID));
        assertFalse(state.laneJoined(1, 2));
        assertTrue(state.connected(PID));
        assertTrue(state.laneJoined(2, 2));
    }

    /** Both lanes close. */
    private void disconnect() {
        state.disconnected(true);
        state.disconnected(true);
    }

    @Test
    void servesOnceItsLastLaneSaysHello() {
        assertEquals(Lifecycle.FORKING, state.lifecycle());
        assertEquals(-1, state.pid());
        assertTrue(state.connected(PID));
        assertEquals(Lifecycle.BOOTING, state.lifecycle(), "a lane may say HELLO before FORKED comes");
        assertEquals(PID, state.pid());
        assertFalse(state.laneJoined(1, 2));
        assertFalse(state.serving());
        assertTrue(state.connected(PID));
        assertTrue(state.laneJoined(2, 2));
        assertEquals(Lifecycle.SERVING, state.lifecycle());
        assertTrue(state.serving());
        assertFalse(state.leaving());
    }

    @Test
    void aKillBeforeTheForkKillsTheProcessWhenForked() {
        assertTrue(state.kill());
        assertTrue(state.stop());
        assertEquals(Lifecycle.KILLING, state.lifecycle(), "a stop does not undo a kill");
        assertTrue(state.forked(PID));
        assertEquals(Lifecycle.KILLING, state.lifecycle());
        assertEquals(PID, state.pid());
    }

    @Test
    void onlyAKillAfterAStopEndsARetirement() {
        serve();
        assertFalse(state.retiring(), "serving");
        assertTrue(state.stop());
        assertTrue(state.retiring(), "stopped: a kill now is the end of reload-mercy");
        assertTrue(state.kill());
        assertFalse(state.retiring(), "killed once: a second kill is not a retirement");
    }

    @Test
    void twoLanesSeeingTheWorkerDieKillItWithoutRetiringIt() {
        serve();
        // both lanes close before either kill runs: both ask for a kill
        assertTrue(state.disconnected(true));
        assertTrue(state.disconnected(true));
        assertFalse(state.retiring());
        assertTrue(state.kill());
        assertFalse(state.retiring(), "the second kill must not close its WebSockets with 1012");
        assertTrue(state.kill());
    }

    @Test
    void aWorkerStoppedWhileBootingTellsEveryLaneToStopAndNeverServes() {
        state.forked(PID);
        assertTrue(state.stop());
        assertTrue(state.connected(PID));
        assertTrue(state.leaving(), "the lane gets STOP");
        assertTrue(state.connected(PID));
        assertFalse(state.laneJoined(2, 2));
        assertEquals(Lifecycle.STOPPING, state.lifecycle());
        assertFalse(state.disconnected(true), "a stopping worker's lanes close as told");
        assertTrue(state.exited(0), "one connection is still open");
        assertNull(state.over());
        state.disconnected(true);
        assertEquals(new PythonExitStatus(0, "stopped"), state.over());
    }

    @Test
    void aLaneClosingWhileItServesMeansItIsBroken() {
        serve();
        assertTrue(state.disconnected(true));
        assertFalse(state.disconnected(false), "a boot report's connection is no lane");
    }

    @Test
    void aLaneClosingAfterTheExitCodeIsExpected() {
        serve();
        assertTrue(state.exited(-9), "connections are open: they linger until closed");
        assertFalse(state.disconnected(true));
        assertNull(state.over());
        state.disconnected(true);
        assertEquals(new PythonExitStatus(137, "killed by signal 9"), state.over());
    }

    @Test
    void anOrphanIsOverOnceItsConnectionsCloseWithItsExitUnknown() {
        serve();
        state.orphaned();
        assertEquals(Lifecycle.ORPHANED, state.lifecycle());
        assertFalse(state.serving());
        assertTrue(state.stop(), "it is still stopped");
        assertTrue(state.kill(), "or killed");
        assertEquals(Lifecycle.ORPHANED, state.lifecycle());
        assertNull(state.over());
        assertFalse(state.disconnected(true));
        state.disconnected(true);
        assertEquals(new PythonExitStatus(1, "exit status unknown: its fork server is gone"), state.over());
    }

    @Test
    void aBootTimeoutIsABootFailureEvenWhenStoppedMeanwhile() {
        state.forked(PID);
        state.stop();
        assertTrue(state.bootTimedOut("it did not load the app within boot-timeout 5 s"));
        state.kill();
        state.exited(-9);
        assertEquals(new PythonExitStatus(Worker.BOOT_FAILED,
                "it did not load the app within boot-timeout 5 s; killed by signal 9"), state.over());
    }

    @Test
    void theBootTimerIsIgnoredOnceTheAppLoaded() {
        serve();
        state.stop();
        assertFalse(state.bootTimedOut("late"));
        disconnect();
        state.exited(0);
        assertEquals(new PythonExitStatus(0, "stopped"), state.over());
    }

    @Test
    void aWedgedWorkerReportsItsStatusWithTheReason() {
        serve();
        state.wedged("it missed a heartbeat");
        assertTrue(state.kill());
        assertFalse(state.serving());
        disconnect();
        state.exited(-9);
        assertEquals(new PythonExitStatus(137, "it missed a heartbeat; killed by signal 9"), state.over());
    }

    @Test
    void anImportErrorReportsTheTracebacksLastLine() {
        state.forked(PID);
        assertTrue(state.connected(PID));
        state.bootFailed("Traceback (most recent call last):\n  ...\nImportError: no module named app\n");
        state.disconnected(false);
        state.exited(78);
        assertEquals(new PythonExitStatus(Worker.BOOT_FAILED, "ImportError: no module named app"), state.over());
    }

    @Test
    void isReportedOnceAndThenRefusesEverything() {
        serve();
        disconnect();
        state.exited(0);
        assertTrue(state.report());
        assertEquals(Lifecycle.GONE, state.lifecycle());
        assertFalse(state.report());
        assertNull(state.over());
        assertFalse(state.connected(PID), "a late connection is closed");
        assertFalse(state.stop());
        assertFalse(state.kill());
        state.orphaned();
        assertEquals(Lifecycle.GONE, state.lifecycle());
    }
}
