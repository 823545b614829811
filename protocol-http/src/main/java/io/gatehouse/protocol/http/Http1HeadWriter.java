package io.gatehouse.protocol.http;

import io.gatehouse.app.Headers;
import io.gatehouse.spi.exchange.ResponseHead;
import io.gatehouse.spi.exchange.StatusReasons;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The bytes of an HTTP/1.1 response head: status line, the app's fields less the ones this listener owns, Date,
 * and the framing fields the encoder chose. Status lines of standard reasons and the Date line (formatted at most
 * once a second for all connections) are kept as ready bytes.
 */
final class Http1HeadWriter {
    /** Fields the listener writes itself or that describe one connection (RFC 9110 7.6.1): never copied. */
    enum Owned { NO, CONNECTION, CONTENT_LENGTH, DATE, HOP_BY_HOP }

    private record DateLine(long second, byte[] bytes) {
    }

    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH);
    private static final byte[][] STATUS_LINES = new byte[600][];
    private static volatile DateLine dateLine = new DateLine(-1, new byte[0]);

    private Http1HeadWriter() {
    }

    /** Which listener-owned field {@code name} is, if any (case-insensitive, no allocation). */
    static Owned owned(String name) {
        return switch (name.length()) {
            case 2 -> name.equalsIgnoreCase("te") ? Owned.HOP_BY_HOP : Owned.NO;
            case 4 -> name.equalsIgnoreCase("date") ? Owned.DATE : Owned.NO;
            case 7 -> name.equalsIgnoreCase("trailer") || name.equalsIgnoreCase("upgrade") ? Owned.HOP_BY_HOP
                    : Owned.NO;
            case 10 -> name.equalsIgnoreCase("connection") ? Owned.CONNECTION
                    : name.equalsIgnoreCase("keep-alive") ? Owned.HOP_BY_HOP : Owned.NO;
            case 14 -> name.equalsIgnoreCase("content-length") ? Owned.CONTENT_LENGTH : Owned.NO;
            case 16 -> name.equalsIgnoreCase("proxy-connection") ? Owned.HOP_BY_HOP : Owned.NO;
            case 17 -> name.equalsIgnoreCase("transfer-encoding") ? Owned.HOP_BY_HOP : Owned.NO;
            default -> Owned.NO;
        };
    }

    /**
     * A buffer holding the head: status line, the app's fields except owned ones ({@code owned} classifies each),
     * Date unless the app gave one,
     * then {@code Content-Length} (when {@code length >= 0}), {@code Transfer-Encoding: chunked} and
     * {@code Connection} as asked; with {@code room} bytes to spare for a body that may follow in the same buffer.
     */
    static ByteBuf encode(ByteBufAllocator alloc, ResponseHead head, Owned[] owned, long length, boolean chunked,
            String connection, int room) {
        Headers headers = head.headers();
        int size = 128 + room;
        for (int i = 0; i < headers.size(); i++) {
            size += headers.name(i).length() + headers.value(i).length() + 4;
        }
        ByteBuf buf = alloc.buffer(size);
        buf.writeBytes(statusLine(head.status(), head.reason()));
        boolean date = false;
        for (int i = 0; i < headers.size(); i++) {
            if (owned[i] == Owned.NO || owned[i] == Owned.DATE) {
                date |= owned[i] == Owned.DATE;
                field(buf, headers.name(i), headers.value(i));
            }
        }
        if (!date) {
            buf.writeBytes(dateLine());
        }
        if (length >= 0) {
            ByteBufUtil.writeAscii(buf, "Content-Length: ");
            writeDecimal(buf, length);
            buf.writeShort(0x0d0a);
        }
        if (chunked) {
            ByteBufUtil.writeAscii(buf, "Transfer-Encoding: chunked\r\n");
        }
        if (connection != null) {
            ByteBufUtil.writeAscii(buf, "Connection: ");
            ByteBufUtil.writeAscii(buf, connection);
            buf.writeShort(0x0d0a);
        }
        buf.writeShort(0x0d0a);
        return buf;
    }

    private static void writeDecimal(ByteBuf buf, long value) {
        long scale = 1;
        while (scale <= value / 10) {
            scale *= 10;
        }
        for (; scale > 0; scale /= 10) {
            buf.writeByte((int) ('0' + value / scale % 10));
        }
    }

    /** A bare interim response such as {@code HTTP/1.1 103 Early Hints}. */
    static ByteBuf interim(ByteBufAllocator alloc, int status) {
        byte[] line = statusLine(status, StatusReasons.of(status));
        return alloc.buffer(line.length + 2).writeBytes(line).writeShort(0x0d0a);
    }

    private static void field(ByteBuf buf, String name, String value) {
        ByteBufUtil.writeAscii(buf, name);
        buf.writeShort(0x3a20);
        buf.writeCharSequence(value, StandardCharsets.ISO_8859_1);
        buf.writeShort(0x0d0a);
    }

    /** {@code HTTP/1.1 status reason CRLF}, from the cache when the reason is the standard one. */
    static byte[] statusLine(int status, String reason) {
        boolean standard = status >= 100 && status < 600 && reason.equals(StatusReasons.of(status));
        byte[] line = standard ? STATUS_LINES[status] : null;
        if (line == null) {
            line = ("HTTP/1.1 " + status + " " + reason + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
            if (standard) {
                STATUS_LINES[status] = line;
            }
        }
        return line;
    }

    /** {@code Date: IMF-fixdate CRLF} (RFC 9110 6.6.1, 5.6.7) of the current second. */
    static byte[] dateLine() {
        long second = System.currentTimeMillis() / 1000;
        DateLine d = dateLine;
        if (d.second != second) {
            String text = "Date: " + IMF_FIXDATE.format(ZonedDateTime.now(ZoneOffset.UTC)) + "\r\n";
            d = new DateLine(second, text.getBytes(StandardCharsets.US_ASCII));
            dateLine = d;
        }
        return d.bytes;
    }
}
