package io.gatehouse.protocol.fastcgi;

import static io.gatehouse.protocol.fastcgi.FcgiRequestWriter.nginxParams;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.app.Headers;
import io.gatehouse.core.testing.LeakCheck;
import io.gatehouse.spi.exchange.Response;
import io.gatehouse.spi.exchange.ResponseFile;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Responses as STDOUT records in CGI form, bodies in records of at most 65535 bytes, files read record by record. */
@ExtendWith(LeakCheck.class)
class FcgiEncoderTest {
    private final FcgiTestChannel ch = FcgiTestChannel.exchanges(FcgiOptions.DEFAULTS);
    @TempDir
    Path dir;

    @AfterEach
    void finish() {
        ch.finishClean();
    }

    private Response request(String method) {
        ch.write(new FcgiRequestWriter().request(1, true, nginxParams(method, "/r", ""), new byte[0]).bytes());
        return ch.exchange(1).response();
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    @Test
    void writesTheHeadInCgiFormWithoutConnectionFields() {
        Response r = request("GET");
        r.head(404, "Nowhere", Headers.of("Content-Type", "text/html", "Set-Cookie", "a=1", "Set-Cookie", "b=2",
                "Connection", "close", "Transfer-Encoding", "chunked", "X-Bytes", "caf\u00e9"), 3);
        r.chunk(Unpooled.copiedBuffer(new byte[] {'a', 'b', 'c'}), false);
        r.end();
        FcgiRecordReader out = ch.output();
        assertEquals("Status: 404 Nowhere\r\nContent-Type: text/html\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n"
                + "X-Bytes: caf\u00e9\r\nContent-Length: 3\r\n\r\nabc", out.stdoutText(1));
        assertTrue(out.stdoutClosed(1));
        assertArrayEquals(new int[] {0, 0}, out.endRequest(1));
    }

    @Test
    void keepsTheAppsContentLengthAndAddsNoneWhenUnknown() {
        Response r = request("GET");
        r.head(200, null, Headers.of("Content-Length", "0"), -1);
        r.end();
        assertEquals("Status: 200 OK\r\nContent-Length: 0\r\n\r\n", ch.output().stdoutText(1));
    }

    @Test
    void cutsABigChunkIntoRecordsOfAtMost65535Bytes() {
        byte[] body = random(200_000);
        Response r = request("GET");
        r.head(200, null, new Headers(), -1);
        r.chunk(Unpooled.wrappedBuffer(body), false);
        r.end();
        FcgiRecordReader out = ch.output();
        List<Integer> sizes = out.of(FcgiRecordType.STDOUT, 1).stream().map(x -> x.content().length).toList();
        assertEquals(List.of(18, 65535, 65535, 65535, 3395, 0), sizes);
        byte[] all = out.stdout(1);
        assertArrayEquals(body, java.util.Arrays.copyOfRange(all, 18, all.length));
    }

    @Test
    void sendsNoBodyForHeadButKeepsItsContentLength() {
        Response r = request("HEAD");
        r.head(200, null, Headers.of("Content-Type", "text/plain"), 5);
        r.chunk(Unpooled.copiedBuffer(new byte[5]), false);
        r.end();
        assertEquals("Status: 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\n",
                ch.output().stdoutText(1));
    }

    @Test
    void sendsNoBodyOrLengthFor304() {
        Response r = request("GET");
        r.head(304, null, new Headers(), 10);
        r.chunk(Unpooled.copiedBuffer(new byte[10]), false);
        r.end();
        assertEquals("Status: 304 Not Modified\r\n\r\n", ch.output().stdoutText(1));
    }

    @Test
    void splitsAHeadLargerThanOneRecord() {
        Response r = request("GET");
        r.head(200, null, Headers.of("X-Huge", "h".repeat(70_000)), 0);
        r.end();
        FcgiRecordReader out = ch.output();
        assertEquals(3, out.of(FcgiRecordType.STDOUT, 1).size(), "65535 + the rest + the empty end");
        assertTrue(out.stdoutText(1).endsWith("h\r\nContent-Length: 0\r\n\r\n"));
    }

    @Test
    void framesAFileInRecordsAndClosesIt() throws Exception {
        byte[] data = random(200_000);
        Path file = Files.write(dir.resolve("f.bin"), data);
        FileChannel fc = FileChannel.open(file, StandardOpenOption.READ);
        Response r = request("GET");
        r.head(200, null, new Headers(), 150_000);
        r.file(fc, 1000, 150_000);
        r.end();
        FcgiRecordReader out = ch.output();
        List<Integer> sizes = out.of(FcgiRecordType.STDOUT, 1).stream().map(x -> x.content().length).toList();
        assertEquals(List.of(42, 65528, 65528, 18944, 0), sizes);
        byte[] all = out.stdout(1);
        assertArrayEquals(java.util.Arrays.copyOfRange(data, 1000, 151_000),
                java.util.Arrays.copyOfRange(all, 42, all.length));
        assertArrayEquals(new int[] {0, 0}, out.endRequest(1));
        assertFalse(fc.isOpen(), "the file is closed once sent");
    }

    @Test
    void readsAFileOneRecordPerCallSoMemoryStaysBounded() throws Exception {
        Path file = Files.write(dir.resolve("g.bin"), random(140_000));
        FcgiRequest req = new FcgiRequests().begin(3, true, FcgiConstants.ROLE_RESPONDER);
        FileChannel fc = FileChannel.open(file, StandardOpenOption.READ);
        FcgiFileRecords records = new FcgiFileRecords(new ResponseFile(fc, 0, 140_000, 3), req);
        int[] expected = {65528, 65528, 8944};
        for (int n : expected) {
            assertFalse(records.isEndOfInput());
            ByteBuf record = records.readChunk(UnpooledByteBufAllocator.DEFAULT);
            assertEquals(8 + n, record.readableBytes());
            assertEquals(n, record.getUnsignedShort(4));
            assertEquals(3, record.getUnsignedShort(2));
            record.release();
        }
        assertTrue(records.isEndOfInput());
        assertNull(records.readChunk(UnpooledByteBufAllocator.DEFAULT));
        assertEquals(140_000, records.progress());
        records.close();
        assertFalse(fc.isOpen());
    }

    @Test
    void stopsAFileWhenItsRequestIsAborted() throws Exception {
        Path file = Files.write(dir.resolve("h.bin"), random(140_000));
        FcgiRequest req = new FcgiRequests().begin(3, true, FcgiConstants.ROLE_RESPONDER);
        FcgiFileRecords records = new FcgiFileRecords(
                new ResponseFile(FileChannel.open(file, StandardOpenOption.READ), 0, 140_000, 3), req);
        records.readChunk(UnpooledByteBufAllocator.DEFAULT).release();
        req.abort();
        assertTrue(records.isEndOfInput());
        records.close();
    }
}
