package io.gatehouse.runtime.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An ASGI worker's loop lanes on embedded channels, without a process: readiness after `concurrency` HELLOs,
 * DATA_LAST before END, a client leaving, and harakiri cancelling a task, killing the worker only when its loop stays
 * silent. Lanes say HELLO with pid 0, which is never signalled.
 */
class PythonLoopLaneTest {
    private static final long GRACE_MILLIS = 50;
    @TempDir
    static Path runDir;
    private static LaneTestFactory factory;

    private final List<String> events = new ArrayList<>();
    private final PythonWorker worker = factory.worker(new RecordingEvents(events));
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final EmbeddedChannel other = new EmbeddedChannel();
    private final PythonLane lane = new PythonLane(worker, channel, PythonLane.Kind.LOOP);

    @BeforeAll
    static void openFactory() throws IOException {
        factory = LaneTestFactory.open(runDir, new PythonOptions("app", null, null, null, null, null, List.of(),
                Map.of(), false, Duration.ZERO, 0, PythonOptions.Interface.ASGI, 2, null,
                Duration.ofMillis(GRACE_MILLIS)));
    }

    @AfterAll
    static void closeFactory() {
        factory.close();
    }

    @AfterEach
    void noFrameLeftUnread() {
        assertNull(channel.readOutbound());
        channel.finishAndReleaseAll();
        other.finishAndReleaseAll();
    }

    /** Both loop lanes say HELLO: the worker is ready, with its concurrency as its capacity. */
    private void connect() {
        channel.pipeline().addLast(lane);
        worker.attach(lane, 0);
        assertEquals(List.of(), events, "one lane of two");
        PythonLane second = new PythonLane(worker, other, PythonLane.Kind.LOOP);
        other.pipeline().addLast(second);
        worker.attach(second, 0);
        assertEquals(List.of("ready"), events);
        events.clear();
    }

    /** The next frame the lane wrote: its type, and the ordinal of a CANCEL or HARAKIRI. */
    private String written() {
        channel.runPendingTasks();
        ByteBuf frame = channel.readOutbound();
        try {
            int length = frame.readInt();
            WsgiFrameType type = WsgiFrameType.valueOf(frame.readByte());
            return length == 4 && type != WsgiFrameType.MORE ? type + " " + frame.readInt() : type.toString();
        } finally {
            frame.release();
        }
    }

    private static WsgiFrame frame(WsgiFrameType type, String payload) {
        return new WsgiFrame(type, Unpooled.copiedBuffer(payload, StandardCharsets.ISO_8859_1));
    }

    /** A request on the first lane, its REQUEST read. */
    private RecordingExchange run(String name) {
        RecordingExchange exchange = RecordingExchange.get(name);
        worker.handle(exchange);
        assertEquals("REQUEST", written().split(" ")[0]);
        return exchange;
    }

    @Test
    void isReadyOnceEveryLaneSaidHelloAndTakesConcurrencyExchanges() {
        assertEquals(1, worker.capacity(), "before its lanes say how it serves: threads");
        connect();
        assertTrue(worker.onLoop());
        assertEquals(2, worker.capacity());
    }

    @Test
    void theLastBodyCompletesTheResponseAndEndFreesTheLane() {
        connect();
        RecordingExchange exchange = run("done");
        channel.writeInbound(new WsgiFrame(WsgiFrameType.START, WsgiFramesTest.startPayload(-1, "200")),
                frame(WsgiFrameType.DATA_LAST, "bye"));
        assertEquals(List.of("head 200", "chunk bye", "end"), exchange.said());
        assertEquals(List.of(), events, "the app still runs: the lane stays busy");
        channel.writeInbound(frame(WsgiFrameType.END, ""));
        assertEquals(List.of("finished done"), events);
    }

    @Test
    void dataAfterTheLastBodyBreaksTheProtocol() {
        connect();
        run("twice");
        channel.writeInbound(new WsgiFrame(WsgiFrameType.START, WsgiFramesTest.startPayload(-1, "200")),
                frame(WsgiFrameType.DATA_LAST, ""));
        channel.writeInbound(frame(WsgiFrameType.DATA, "more"));
        assertFalse(channel.isOpen());
        assertFalse(worker.serving(), "killed");
    }

    @Test
    void aClientThatLeavesIsCancelledAtOnceAndTheResponseAlreadyOnItsWayDropped() {
        connect();
        RecordingExchange exchange = run("poll");
        exchange.leave();
        assertEquals("CANCEL 1", written());
        channel.writeInbound(new WsgiFrame(WsgiFrameType.START, WsgiFramesTest.startPayload(-1, "200")),
                frame(WsgiFrameType.DATA_LAST, "late"), frame(WsgiFrameType.END, ""));
        assertTrue(channel.isOpen());
        assertTrue(worker.serving(), "a START after a CANCEL breaks no rule");
        assertEquals(List.of("finished poll"), events);
        assertEquals(List.of(), exchange.said());
    }

    @Test
    void harakiriCancelsTheTaskAndSparesAWorkerWhoseLoopAnswers() {
        connect();
        RecordingExchange slow = run("slow");
        worker.harakiri(slow);
        assertEquals("HARAKIRI 1", written());
        assertEquals("PING", written());
        channel.writeInbound(frame(WsgiFrameType.PONG, ""), frame(WsgiFrameType.END, ""));
        channel.advanceTimeBy(GRACE_MILLIS, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertTrue(worker.serving());
        assertEquals(List.of("finished slow"), events);
    }

    @Test
    void harakiriKillsAWorkerWhoseLoopStaysSilent() {
        connect();
        RecordingExchange blocked = run("blocked");
        worker.harakiri(blocked);
        assertEquals("HARAKIRI 1", written());
        assertEquals("PING", written());
        channel.advanceTimeBy(GRACE_MILLIS - 1, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertTrue(worker.serving(), "within the grace");
        channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertFalse(worker.serving(), "killed");
    }

    @Test
    void aTaskIgnoringItsCancellationKeepsItsPlaceWhileTheLoopAnswers() {
        connect();
        RecordingExchange stubborn = run("stubborn");
        worker.harakiri(stubborn);
        assertEquals("HARAKIRI 1", written());
        assertEquals("PING", written());
        channel.writeInbound(frame(WsgiFrameType.PONG, ""));
        channel.advanceTimeBy(GRACE_MILLIS, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertTrue(worker.serving());
        assertEquals(List.of(), events);
        channel.writeInbound(frame(WsgiFrameType.END, ""));
        assertEquals(List.of("finished stubborn"), events);
    }

    @Test
    void lanesOfTwoKindsGetTheWorkerKilled() {
        channel.pipeline().addLast(lane);
        worker.attach(lane, 0);
        PythonLane thread = new PythonLane(worker, other, PythonLane.Kind.THREAD);
        other.pipeline().addLast(thread);
        worker.attach(thread, 0);
        assertFalse(other.isOpen());
        assertFalse(worker.serving());
        assertEquals(List.of(), events);
    }

    @Test
    void theHeartbeatPingsBusyLoopLanesButNotBusyThreadLanes() {
        PythonLanes lanes = new PythonLanes();
        lanes.add(lane);
        lane.load = 1;
        assertEquals(List.of(), lanes.toPing(false));
        assertEquals(List.of(lane), lanes.toPing(true));
        assertNull(lanes.toPing(true), "silent for a whole period");
    }
}
