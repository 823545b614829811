package io.gatehouse.core.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.spi.exchange.BodyChunk;
import io.gatehouse.spi.exchange.LastBodyChunk;
import io.gatehouse.spi.exchange.RequestBody;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RequestBodyTest {
    final List<String> flow = new ArrayList<>();
    final BufferedRequestBody.FlowControl control = new BufferedRequestBody.FlowControl() {
        @Override
        public void pause() {
            flow.add("pause");
        }

        @Override
        public void resume() {
            flow.add("resume");
        }
    };

    static BodyChunk chunk(int size) {
        return new BodyChunk(Unpooled.wrappedBuffer(new byte[size]), 0);
    }

    @Test
    void pausesAboveTheHighWaterMarkAndResumesBelowTheLowOne() throws IOException {
        BufferedRequestBody body = new BufferedRequestBody(control, 10_000, 1000);
        body.offer(chunk(600));
        body.offer(chunk(600));
        assertEquals(List.of("pause"), flow);
        body.take(1).release();
        assertEquals(List.of("pause"), flow, "600 bytes left is above the low mark of 250");
        body.take(1).release();
        assertEquals(List.of("pause", "resume"), flow);
    }

    @Test
    void blockingReadsSeeEveryByteThenTheEnd() throws IOException {
        BufferedRequestBody body = new BufferedRequestBody(control, 3, 1000);
        body.offer(new BodyChunk(Unpooled.wrappedBuffer(new byte[] {1, 2}), 0));
        body.offer(new LastBodyChunk(Unpooled.wrappedBuffer(new byte[] {3}), 0));
        ByteBuf a = body.take(1);
        ByteBuf b = body.take(1);
        assertEquals(2, a.readableBytes());
        assertEquals(1, b.readableBytes());
        a.release();
        b.release();
        assertNull(body.take(1));
        assertTrue(body.finished());
    }

    @Test
    void asyncReadWaitsForTheNextChunk() {
        BufferedRequestBody body = new BufferedRequestBody(control, 4, 1000);
        List<String> got = new ArrayList<>();
        body.read(receiver(got));
        assertTrue(got.isEmpty());
        body.offer(new LastBodyChunk(Unpooled.wrappedBuffer(new byte[4]), 0));
        assertEquals(List.of("4 last"), got);
    }

    @Test
    void aFailedBodyFailsPendingAndLaterReads() {
        BufferedRequestBody body = new BufferedRequestBody(control, 100, 1000);
        List<String> got = new ArrayList<>();
        body.read(receiver(got));
        body.fail(new IOException("client closed the connection"));
        assertEquals(List.of("error client closed the connection"), got);
        assertThrows(IOException.class, () -> body.take(TimeUnit.SECONDS.toNanos(1)));
    }

    @Test
    void aBlockingReadTimesOutWhenTheClientStalls() {
        BufferedRequestBody body = new BufferedRequestBody(control, 100, 1000);
        IOException e = assertThrows(IOException.class, () -> body.take(TimeUnit.MILLISECONDS.toNanos(50)));
        assertTrue(e.getMessage().contains("no request body data"), e.getMessage());
    }

    @Test
    void discardReleasesWhatIsBufferedAndWhatComesLater() {
        BufferedRequestBody body = new BufferedRequestBody(control, 10_000, 1000);
        BodyChunk first = chunk(1500);
        body.offer(first);
        body.discard();
        assertEquals(0, first.refCnt());
        BodyChunk late = chunk(10);
        body.offer(late);
        assertEquals(0, late.refCnt());
        assertEquals(List.of("pause", "resume"), flow);
    }

    static RequestBody.Receiver receiver(List<String> got) {
        return new RequestBody.Receiver() {
            @Override
            public void onData(ByteBuf data, boolean last) {
                got.add(data.readableBytes() + (last ? " last" : ""));
                data.release();
            }

            @Override
            public void onError(IOException cause) {
                got.add("error " + cause.getMessage());
            }
        };
    }
}
