package io.gatehouse.protocol.ajp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gatehouse.core.testing.Outbound;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What the listener wrote back, read the way mod_proxy_ajp reads it (ajp_header.c): every packet must start with
 * "AB" and hold exactly its length; SEND_HEADERS, SEND_BODY_CHUNK (length and NUL checked), END_RESPONSE,
 * GET_BODY_CHUNK and CPONG are collected.
 */
final class AjpReply {
    static final String[] CODED = {null, "Content-Type", "Content-Language", "Content-Length", "Date",
        "Last-Modified", "Location", "Set-Cookie", "Set-Cookie2", "Servlet-Engine", "Status", "WWW-Authenticate"};

    int status = -1;
    String reason;
    final List<String[]> headers = new ArrayList<>();
    final ByteArrayOutputStream body = new ByteArrayOutputStream();
    final List<Integer> packetSizes = new ArrayList<>();
    final List<Integer> bodyChunkSizes = new ArrayList<>();
    final List<Integer> asks = new ArrayList<>();
    int reuse = -1;
    int cpongs;
    int codedNames;

    /** Reads (and releases) everything written to the channel so far. */
    static AjpReply drain(EmbeddedChannel channel) {
        return parse(Outbound.drain(channel));
    }

    static AjpReply parse(byte[] bytes) {
        AjpReply r = new AjpReply();
        int i = 0;
        while (i < bytes.length) {
            assertEquals('A', bytes[i], "magic at " + i);
            assertEquals('B', bytes[i + 1], "magic at " + (i + 1));
            int len = u16(bytes, i + 2);
            int p = i + 4;
            int end = p + len;
            r.packetSizes.add(len + 4);
            int code = bytes[p] & 0xff;
            switch (code) {
                case AjpConstants.SEND_HEADERS -> p = r.readHeaders(bytes, p + 1);
                case AjpConstants.SEND_BODY_CHUNK -> {
                    int n = u16(bytes, p + 1);
                    assertEquals(len, n + 4, "SEND_BODY_CHUNK length");
                    r.body.write(bytes, p + 3, n);
                    r.bodyChunkSizes.add(n);
                    assertEquals(0, bytes[p + 3 + n], "NUL after the chunk");
                    p = end;
                }
                case AjpConstants.END_RESPONSE -> {
                    r.reuse = bytes[p + 1];
                    p += 2;
                }
                case AjpConstants.GET_BODY_CHUNK -> {
                    r.asks.add(u16(bytes, p + 1));
                    p += 3;
                }
                case AjpConstants.CPONG_REPLY -> {
                    r.cpongs++;
                    p += 1;
                }
                default -> throw new AssertionError("unknown packet type " + code);
            }
            assertEquals(end, p, "packet of type " + code + " ends at its length");
            i = end;
        }
        return r;
    }

    private int readHeaders(byte[] b, int p) {
        status = u16(b, p);
        reason = string(b, p + 2);
        p += 2 + 2 + reason.length() + 1;
        int count = u16(b, p);
        p += 2;
        for (int h = 0; h < count; h++) {
            int first = u16(b, p);
            String name;
            if (first >> 8 == 0xA0) {
                name = CODED[first & 0xff];
                codedNames++;
                p += 2;
            } else {
                name = string(b, p);
                p += 2 + name.length() + 1;
            }
            String value = string(b, p);
            p += 2 + value.length() + 1;
            headers.add(new String[] {name, value});
        }
        return p;
    }

    /** The first value of a header, or null. */
    String header(String name) {
        return headers.stream().filter(h -> h[0].equalsIgnoreCase(name)).map(h -> h[1]).findFirst().orElse(null);
    }

    String bodyText() {
        return body.toString(StandardCharsets.ISO_8859_1);
    }

    private static String string(byte[] b, int p) {
        int n = u16(b, p);
        assertEquals(0, b[p + 2 + n], "NUL after a string");
        return new String(b, p + 2, n, StandardCharsets.ISO_8859_1);
    }

    private static int u16(byte[] b, int p) {
        return (b[p] & 0xff) << 8 | (b[p + 1] & 0xff);
    }
}
