package io.gatehouse.spi.protocol;

import io.gatehouse.app.Headers;
import io.gatehouse.spi.exchange.ResponseHead;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Writes a response head in the two textual forms protocols share: an HTTP/1.x status line (HTTP, uwsgi) or a CGI
 * {@code Status:} field (SCGI, FastCGI), followed by header fields. Values are native strings, written as
 * ISO-8859-1 so bytes an app sent come out unchanged.
 */
public final class ResponseHeadWriter {
    /** Fields that describe one connection, not the response; listeners write their own (RFC 9110 7.6.1). */
    public static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "transfer-encoding", "te",
            "trailer", "upgrade", "proxy-connection");

    private ResponseHeadWriter() {
    }

    /** {@code version SP status SP reason CRLF}. */
    public static void statusLine(ByteBuf out, String version, ResponseHead head) {
        ByteBufUtil.writeAscii(out, version);
        out.writeByte(' ');
        writeStatus(out, head);
    }

    /** {@code Status: status SP reason CRLF}, the CGI way of giving the status (RFC 3875 6.3.3). */
    public static void cgiStatus(ByteBuf out, ResponseHead head) {
        ByteBufUtil.writeAscii(out, "Status: ");
        writeStatus(out, head);
    }

    /** Every field of {@code headers} except those whose name is in {@code skip} (lower-case names). */
    public static void fields(ByteBuf out, Headers headers, Set<String> skip) {
        for (int i = 0; i < headers.size(); i++) {
            String name = headers.name(i);
            if (!named(name, skip)) {
                field(out, name, headers.value(i));
            }
        }
    }

    /** True if {@code name} is a hop-by-hop field, in any case. */
    public static boolean isHopByHop(String name) {
        return named(name, HOP_BY_HOP);
    }

    /**
     * True if {@code name} equals a member of {@code names} ignoring case. A scan with equalsIgnoreCase (which
     * compares lengths first) instead of lower-casing every field name of every response into a new string.
     */
    private static boolean named(String name, Set<String> names) {
        for (String n : names) {
            if (n.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    /** {@code name: value CRLF}. */
    public static void field(ByteBuf out, String name, String value) {
        ByteBufUtil.writeAscii(out, name);
        out.writeShort(0x3a20);
        out.writeCharSequence(value, StandardCharsets.ISO_8859_1);
        out.writeShort(0x0d0a);
    }

    private static void writeStatus(ByteBuf out, ResponseHead head) {
        int status = head.status();
        out.writeByte('0' + status / 100 % 10).writeByte('0' + status / 10 % 10).writeByte('0' + status % 10);
        out.writeByte(' ');
        out.writeCharSequence(head.reason(), StandardCharsets.ISO_8859_1);
        out.writeShort(0x0d0a);
    }
}
