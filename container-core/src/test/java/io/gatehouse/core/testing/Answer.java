package io.gatehouse.core.testing;

import io.gatehouse.spi.exchange.LastResponseChunk;
import io.gatehouse.spi.exchange.ResponseAbort;
import io.gatehouse.spi.exchange.ResponseChunk;
import io.gatehouse.spi.exchange.ResponseFile;
import io.gatehouse.spi.exchange.ResponseHead;
import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** A response as a {@link LocalExchangeServer.Client} received it: the head, the body, and how it ended. */
public final class Answer {
    /** How the response ended. */
    public enum Ending { ENDED, ABORTED, CLOSED }

    private final ResponseHead head;
    private final byte[] body;
    private final Ending ending;

    private Answer(ResponseHead head, byte[] body, Ending ending) {
        this.head = head;
        this.body = body;
        this.ending = ending;
    }

    static Answer read(LocalExchangeServer.Client client) {
        ResponseHead head = null;
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            Object m = client.next();
            if (m instanceof ResponseHead h) {
                head = h;
            } else if (m instanceof ResponseChunk c) {
                ByteBuf data = c.content();
                byte[] bytes = new byte[data.readableBytes()];
                data.getBytes(data.readerIndex(), bytes);
                body.writeBytes(bytes);
                c.release();
            } else if (m instanceof ResponseFile f) {
                body.writeBytes(readFile(f));
                f.release();
            } else if (m instanceof LastResponseChunk) {
                return new Answer(head, body.toByteArray(), Ending.ENDED);
            } else if (m instanceof ResponseAbort) {
                return new Answer(head, body.toByteArray(), Ending.ABORTED);
            } else if (m == LocalExchangeServer.Client.CLOSED) {
                return new Answer(head, body.toByteArray(), Ending.CLOSED);
            }
        }
    }

    private static byte[] readFile(ResponseFile f) {
        try {
            ByteBuffer buf = ByteBuffer.allocate((int) f.count());
            f.file().read(buf, f.position());
            return buf.array();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The head, or null if none came. */
    public ResponseHead head() {
        return head;
    }

    /** The status, or 0 if no head came. */
    public int status() {
        return head == null ? 0 : head.status();
    }

    /** A header value, or null. */
    public String header(String name) {
        return head == null ? null : head.headers().get(name);
    }

    /** The body bytes. */
    public byte[] body() {
        return body;
    }

    /** The body as text (ISO-8859-1). */
    public String text() {
        return new String(body, StandardCharsets.ISO_8859_1);
    }

    /** How the response ended. */
    public Ending ending() {
        return ending;
    }

    @Override
    public String toString() {
        return "Answer(" + head + ", " + body.length + " bytes, " + ending + ")";
    }
}
