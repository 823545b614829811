package io.gatehouse.runtime.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Which lane an exchange gets: the least loaded, and of those one on the client connection's own event loop. */
class PythonLanesTest {
    private final EmbeddedChannel onA = new EmbeddedChannel();
    private final EmbeddedChannel onB = new EmbeddedChannel();
    private final EmbeddedChannel elsewhere = new EmbeddedChannel();
    private final PythonLane a = new PythonLane(null, onA, PythonLane.Kind.LOOP);
    private final PythonLane b = new PythonLane(null, onB, PythonLane.Kind.LOOP);
    private final PythonLanes lanes = new PythonLanes();

    @AfterEach
    void close() {
        List.of(onA, onB, elsewhere).forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    @Test
    void prefersAnIdleLaneOnTheClientsLoop() {
        lanes.add(a);
        lanes.add(b);
        assertSame(b, lanes.claim(1, onB.eventLoop()));
        assertSame(a, lanes.claim(1, onB.eventLoop()), "the one left, though on another loop");
        assertNull(lanes.claim(1, onB.eventLoop()), "both full");
    }

    @Test
    void takesTheLeastLoadedLaneBeforeTheNearerOne() {
        lanes.add(a);
        lanes.add(b);
        EventLoop loopB = onB.eventLoop();
        assertSame(b, lanes.claim(2, loopB));
        assertSame(a, lanes.claim(2, loopB), "b holds one already");
        assertSame(b, lanes.claim(2, loopB), "equal again: the nearer");
        assertSame(a, lanes.claim(2, elsewhere.eventLoop()), "a has room left");
        assertNull(lanes.claim(2, loopB), "both full");
        assertEquals(2, b.load);
        assertEquals(2, a.load);
    }
}
