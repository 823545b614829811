package io.gatehouse.runtime.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.spi.runtime.Worker;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A worker's lanes on embedded channels, without a process: the frames a lane writes, the exchanges it holds and
 * starts (prefetch 1), and what the worker reports to its pool. Lanes say HELLO with pid 0, which is never signalled.
 */
class PythonLaneTest {
    @TempDir
    static Path runDir;
    private static LaneTestFactory factory;

    private final List<String> events = new ArrayList<>();
    private final PythonWorker worker = factory.worker(new RecordingEvents(events));
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final PythonLane lane = new PythonLane(worker, channel, PythonLane.Kind.THREAD);

    @BeforeAll
    static void openFactory() throws IOException {
        factory = LaneTestFactory.open(runDir, new PythonOptions("app", null, null, null, null, null, List.of(),
                Map.of(), false, Duration.ZERO, 1, null, null, null, Duration.ofSeconds(3)));
    }

    @AfterAll
    static void closeFactory() {
        factory.close();
    }

    @AfterEach
    void noFrameLeftUnread() {
        assertNull(channel.readOutbound());
        channel.finishAndReleaseAll();
    }

    /** The lane says HELLO: with one thread, the worker is ready. */
    private void connect() {
        channel.pipeline().addLast(lane);
        worker.attach(lane, 0);
        assertEquals(List.of("ready"), events);
        events.clear();
    }

    /** The next frame the lane wrote, as its type and its payload as ISO-8859-1 text (or its ordinal, for CANCEL). */
    private String written() {
        ByteBuf frame = channel.readOutbound();
        try {
            int length = frame.readInt();
            WsgiFrameType type = WsgiFrameType.valueOf(frame.readByte());
            if (type == WsgiFrameType.REQUEST) {
                return type + " " + pathInfo(frame);
            }
            return length == 4 && type == WsgiFrameType.CANCEL ? type + " " + frame.readInt() : type.toString();
        } finally {
            frame.release();
        }
    }

    /** The PATH_INFO of a REQUEST payload: mode u8, count u16, the lengths, then NUL-terminated strings. */
    private static String pathInfo(ByteBuf request) {
        request.skipBytes(1);
        request.skipBytes(8 * request.readUnsignedShort());
        String[] strings = request.toString(StandardCharsets.ISO_8859_1).split("\0");
        for (int i = 0; i + 1 < strings.length; i += 2) {
            if (strings[i].equals("PATH_INFO")) {
                return strings[i + 1];
            }
        }
        return null;
    }

    private static WsgiFrame frame(WsgiFrameType type, String payload) {
        return new WsgiFrame(type, Unpooled.copiedBuffer(payload, StandardCharsets.ISO_8859_1));
    }

    private void reply(WsgiFrameType type, String payload) {
        channel.writeInbound(frame(type, payload));
    }

    /** A small response, START, DATA and END in one read as the worker writes it. */
    private void answer(String body) {
        channel.writeInbound(new WsgiFrame(WsgiFrameType.START, WsgiFramesTest.startPayload(-1, "200 OK")),
                frame(WsgiFrameType.DATA, body), frame(WsgiFrameType.END, ""));
    }

    @Test
    void runsAnExchangeAndFreesItsCapacity() {
        connect();
        RecordingExchange hi = RecordingExchange.get("hi");
        worker.handle(hi);
        assertEquals("REQUEST /hi", written());
        answer("hi\n");
        assertEquals(List.of("head 200", "chunk hi\n", "end"), hi.said());
        assertEquals(List.of("finished hi"), events);
    }

    @Test
    void sendsAheadAnExchangeWithoutABodyAndReportsItHeldUntilItStarts() {
        connect();
        RecordingExchange first = RecordingExchange.get("first");
        RecordingExchange second = RecordingExchange.get("second");
        worker.handle(first);
        worker.handle(second);
        assertEquals("REQUEST /first", written());
        assertEquals("REQUEST /second", written(), "sent ahead");
        assertEquals(List.of("held second"), events);
        answer("1");
        assertEquals(List.of("held second", "started second", "finished first"), events);
        answer("2");
        assertEquals(List.of("head 200", "chunk 2", "end"), second.said());
        assertEquals("finished second", events.get(3));
    }

    @Test
    void holdsAnExchangeWithABodyUnsentUntilTheRunningOneEnds() {
        connect();
        worker.handle(RecordingExchange.get("first"));
        worker.handle(RecordingExchange.post("upload"));
        assertEquals("REQUEST /first", written());
        assertNull(channel.readOutbound(), "its body frames could not follow the running request's");
        answer("1");
        assertEquals("REQUEST /upload", written());
        assertEquals(List.of("held upload", "started upload", "finished first"), events);
    }

    @Test
    void cancelsAResponseTheClientNoLongerWantsAndDropsTheRest() {
        connect();
        RecordingExchange gone = RecordingExchange.get("gone");
        gone.response().takesHead = false;
        worker.handle(gone);
        assertEquals("REQUEST /gone", written());
        answer("dropped");
        assertEquals("CANCEL 1", written());
        assertEquals(List.of("head 200"), gone.said());
        assertEquals(List.of("finished gone"), events);
    }

    @Test
    void aClientThatLeavesBeforeTheHeadIsCancelledAndTheResponseDropped() {
        connect();
        RecordingExchange gone = RecordingExchange.get("early");
        worker.handle(gone);
        assertEquals("REQUEST /early", written());
        gone.leave();
        channel.runPendingTasks();
        assertEquals("CANCEL 1", written());
        answer("dropped");
        assertTrue(worker.serving());
        assertEquals(List.of(), gone.said());
        assertEquals(List.of("finished early"), events);
    }

    @Test
    void stopsAnIdleLaneAtOnceAndABusyOneWhenItsExchangeEnds() {
        connect();
        worker.handle(RecordingExchange.get("last"));
        assertEquals("REQUEST /last", written());
        worker.stop();
        assertNull(channel.readOutbound());
        assertFalse(worker.serving());
        answer("bye");
        assertEquals("STOP", written());
        channel.close();
        assertEquals(List.of("finished last"), events, "no exit code yet");
        worker.processExited(0);
        assertEquals(List.of("finished last", "exited 0 stopped"), events);
    }

    @Test
    void aLaneClosingWhileItServesGetsTheWorkerKilled() {
        connect();
        channel.close();
        assertFalse(worker.serving());
        worker.processExited(-9);
        assertEquals(List.of("exited 137 killed by signal 9"), events);
    }

    @ParameterizedTest
    @EnumSource(names = {"DATA", "END", "BOOT_FAILED", "HELLO", "READY", "REQUEST"})
    void aFrameOutOfPlaceOnAnIdleLaneGetsTheWorkerKilled(WsgiFrameType type) {
        connect();
        reply(type, "stray");
        assertFalse(channel.isOpen());
        assertFalse(worker.serving(), "killed");
    }

    @Test
    void aBootReportPassesTheTracebackAndClosesItsConnection() {
        PythonLane report = new PythonLane(worker, channel, PythonLane.Kind.BOOT_REPORT);
        channel.pipeline().addLast(report);
        worker.attach(report, 0);
        reply(WsgiFrameType.BOOT_FAILED, "Traceback\nImportError: no module named app\n");
        assertFalse(channel.isOpen(), "the worker waits for this before it exits");
        worker.processExited(Worker.BOOT_FAILED);
        assertEquals(List.of("exited 78 ImportError: no module named app"), events);
    }
}
