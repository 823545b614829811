package io.gatehouse.protocol.http;

import io.gatehouse.spi.exchange.Exchange;
import io.gatehouse.spi.exchange.WebSocket;
import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * RFC 6455 on the wire for the WebSocket tests: client frames as a browser builds them (masked, or not on purpose),
 * the server's frames parsed back, and an echo app on the SPI.
 */
final class Http1WebSocketWire {
    static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";
    /** RFC 6455 1.3's example: the accept value for {@link #KEY}. */
    static final String ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";
    static final int CONTINUATION = 0x0, TEXT = 0x1, BINARY = 0x2, CLOSE = 0x8, PING = 0x9, PONG = 0xA;
    private static final byte[] MASK = {0x37, (byte) 0xfa, 0x21, 0x3d};

    private Http1WebSocketWire() {
    }

    /** A server frame: opcode, FIN, payload. */
    record Frame(int opcode, boolean fin, byte[] payload) {
        /** A close frame's code, or -1 without one. */
        int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : -1;
        }

        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    static byte[] handshake(String path, String... extra) {
        StringBuilder b = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: example.com\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + KEY + "\r\nSec-WebSocket-Version: 13\r\n");
        for (String line : extra) {
            b.append(line).append("\r\n");
        }
        return b.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A masked client frame. */
    static byte[] frame(int opcode, boolean fin, byte[] payload) {
        return frame(opcode, fin, 0, true, payload);
    }

    static byte[] frame(int opcode, boolean fin, int rsv, boolean masked, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write((fin ? 0x80 : 0) | (rsv << 4) | opcode);
        int maskBit = masked ? 0x80 : 0;
        if (payload.length < 126) {
            out.write(maskBit | payload.length);
        } else if (payload.length < 65536) {
            out.write(maskBit | 126);
            out.write(payload.length >> 8);
            out.write(payload.length);
        } else {
            out.write(maskBit | 127);
            out.writeBytes(ByteBuffer.allocate(8).putLong(payload.length).array());
        }
        if (masked) {
            out.writeBytes(MASK);
        }
        for (int i = 0; i < payload.length; i++) {
            out.write(masked ? payload[i] ^ MASK[i % 4] : payload[i]);
        }
        return out.toByteArray();
    }

    static byte[] text(String s) {
        return frame(TEXT, true, s.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] close(int code, byte[] reason) {
        byte[] p = new byte[2 + reason.length];
        p[0] = (byte) (code >> 8);
        p[1] = (byte) code;
        System.arraycopy(reason, 0, p, 2, reason.length);
        return frame(CLOSE, true, p);
    }

    static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** The server's frames after the 101 head in {@code response}. */
    static List<Frame> frames(byte[] response) {
        String text = new String(response, StandardCharsets.ISO_8859_1);
        int at = text.indexOf("\r\n\r\n") + 4;
        List<Frame> out = new ArrayList<>();
        while (at + 2 <= response.length) {
            int b0 = response[at] & 0xff;
            int len = response[at + 1] & 0x7f;
            at += 2;
            if (len == 126) {
                len = ((response[at] & 0xff) << 8) | (response[at + 1] & 0xff);
                at += 2;
            } else if (len == 127) {
                len = (int) ByteBuffer.wrap(response, at, 8).getLong();
                at += 8;
            }
            out.add(new Frame(b0 & 0x0f, (b0 & 0x80) != 0, Arrays.copyOfRange(response, at, at + len)));
            at += len;
        }
        return out;
    }

    /** An app that accepts (with the first subprotocol offered) and echoes every piece as it comes. */
    static Consumer<Exchange> echo() {
        return exchange -> {
            WebSocket ws = exchange.websocket();
            if (ws == null) {
                exchange.response().head(204, null, null, 0);
                exchange.response().end();
                return;
            }
            ws.accept(ws.subprotocols().isEmpty() ? null : ws.subprotocols().get(0), null);
            readEcho(ws);
        };
    }

    private static void readEcho(WebSocket ws) {
        ws.read(new WebSocket.Receiver() {
            @Override
            public void onMessage(ByteBuf data, boolean text, boolean last) {
                ws.send(data, text, last);
                readEcho(ws);
            }

            @Override
            public void onClose(int code, String reason) {
                ws.close(WebSocket.NORMAL, "");
            }
        });
    }
}
