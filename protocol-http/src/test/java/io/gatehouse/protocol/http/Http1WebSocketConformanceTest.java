package io.gatehouse.protocol.http;

import static io.gatehouse.protocol.http.Http1WebSocketWire.BINARY;
import static io.gatehouse.protocol.http.Http1WebSocketWire.CLOSE;
import static io.gatehouse.protocol.http.Http1WebSocketWire.CONTINUATION;
import static io.gatehouse.protocol.http.Http1WebSocketWire.PING;
import static io.gatehouse.protocol.http.Http1WebSocketWire.PONG;
import static io.gatehouse.protocol.http.Http1WebSocketWire.TEXT;
import static io.gatehouse.protocol.http.Http1WebSocketWire.bytes;
import static io.gatehouse.protocol.http.Http1WebSocketWire.close;
import static io.gatehouse.protocol.http.Http1WebSocketWire.concat;
import static io.gatehouse.protocol.http.Http1WebSocketWire.frame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.gatehouse.core.testing.Feed;
import io.gatehouse.core.testing.ListenerHarness;
import io.gatehouse.protocol.http.Http1WebSocketWire.Frame;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An Autobahn-style conformance table, written from RFC 6455 (the Autobahn testsuite is not installable here): each
 * row is what a client sends after the handshake to an echo app, and what the server must send back, frame by frame
 * (opcode and payload, a close as its code); rows that break the protocol must end with the close code the RFC names
 * and the connection closed. Every row is fed whole and byte by byte.
 */
class Http1WebSocketConformanceTest {
    private static final byte[] A125 = "a".repeat(125).getBytes(StandardCharsets.US_ASCII);

    static Stream<Arguments> rows() {
        return Stream.of(
                // 5.2, 5.6: framing
                row("1.1 empty text message", frame(TEXT, true, new byte[0]), "TEXT:"),
                row("1.2 binary message", frame(BINARY, true, bytes(0, 255, 7)), "BINARY:00ff07"),
                row("1.3 16-bit length", frame(TEXT, true, "b".repeat(300).getBytes()), "TEXT:" + "62".repeat(300)),
                // 5.4: fragmentation
                row("5.1 text in three fragments", concat(frame(TEXT, false, "ab".getBytes()),
                        frame(CONTINUATION, false, "c".getBytes()), frame(CONTINUATION, true, "d".getBytes())),
                        "TEXT:6162", "CONTINUATION:63", "CONTINUATION:64"),
                row("5.2 ping between fragments", concat(frame(TEXT, false, "ab".getBytes()),
                        frame(PING, true, "p".getBytes()), frame(CONTINUATION, true, "c".getBytes())),
                        "TEXT:6162", "PONG:70", "CONTINUATION:63"),
                row("5.3 continuation without a message", frame(CONTINUATION, true, "x".getBytes()), "CLOSE:1002"),
                row("5.4 new message inside a fragmented one", concat(frame(TEXT, false, "a".getBytes()),
                        frame(TEXT, true, "b".getBytes())), "TEXT:61", "CLOSE:1002"),
                // 5.5: control frames
                row("2.1 ping with 125 bytes", frame(PING, true, A125), "PONG:" + "61".repeat(125)),
                row("2.2 ping with 126 bytes", frame(PING, true, "a".repeat(126).getBytes()), "CLOSE:1002"),
                row("2.3 fragmented ping", frame(PING, false, "p".getBytes()), "CLOSE:1002"),
                row("2.4 unsolicited pong", concat(frame(PONG, true, "u".getBytes()), frame(TEXT, true,
                        "t".getBytes())), "TEXT:74"),
                // 5.1, 5.2: masking, reserved bits and opcodes
                row("3.1 unmasked client frame", frame(TEXT, true, 0, false, "x".getBytes()), "CLOSE:1002"),
                row("3.2 RSV1 without an extension", frame(TEXT, true, 4, true, "x".getBytes()), "CLOSE:1002"),
                row("3.3 RSV3 set", frame(TEXT, true, 1, true, "x".getBytes()), "CLOSE:1002"),
                row("4.1 reserved data opcode 3", frame(0x3, true, new byte[0]), "CLOSE:1002"),
                row("4.2 reserved control opcode 11", frame(0xB, true, new byte[0]), "CLOSE:1002"),
                // 8.1: UTF-8 in text messages
                row("6.1 valid multibyte text", frame(TEXT, true, "κόσμε".getBytes(StandardCharsets.UTF_8)),
                        "TEXT:" + hex("κόσμε".getBytes(StandardCharsets.UTF_8))),
                row("6.2 overlong encoding", frame(TEXT, true, bytes(0xc0, 0xaf)), "CLOSE:1007"),
                row("6.3 surrogate half", frame(TEXT, true, bytes(0xed, 0xa0, 0x80)), "CLOSE:1007"),
                row("6.4 invalid byte in the second fragment", concat(frame(TEXT, false, "ok".getBytes()),
                        frame(CONTINUATION, true, bytes(0xff))), "TEXT:6f6b", "CLOSE:1007"),
                row("6.5 code point split across fragments", concat(frame(TEXT, false, bytes(0xce)),
                        frame(CONTINUATION, true, bytes(0xba))), "TEXT:ce", "CONTINUATION:ba"),
                // 5.5.1, 7.4: the close handshake
                row("7.1 close without a code", frame(CLOSE, true, new byte[0]), "CLOSE:"),
                row("7.2 close 1000 with a reason", close(1000, "bye".getBytes()), "CLOSE:1000"),
                row("7.3 close with one byte", frame(CLOSE, true, bytes(3)), "CLOSE:1002"),
                row("7.4 close code 999", close(999, new byte[0]), "CLOSE:1002"),
                row("7.5 close code 1005 (never sent)", close(1005, new byte[0]), "CLOSE:1002"),
                row("7.6 close code 5000", close(5000, new byte[0]), "CLOSE:1002"),
                row("7.7 close code 4999 (private use)", close(4999, new byte[0]), "CLOSE:4999"),
                row("7.8 close reason not UTF-8", close(1000, bytes(0xff, 0xfe)), "CLOSE:1007"),
                row("7.9 data after close is ignored", concat(close(1000, new byte[0]), frame(TEXT, true,
                        "late".getBytes())), "CLOSE:1000"));
    }

    private static Arguments row(String name, byte[] input, String... expected) {
        return Arguments.of(name, input, List.of(expected));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void wholeInput(String name, byte[] input, List<String> expected) {
        check(input, expected, Feed.WHOLE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void byteByByte(String name, byte[] input, List<String> expected) {
        check(input, expected, Feed.BYTE_BY_BYTE);
    }

    private static void check(byte[] input, List<String> expected, Feed feed) {
        ListenerHarness harness = ListenerHarness.start(new Http1Protocol(), Http1Options.DEFAULTS,
                Http1WebSocketWire.echo());
        harness.feed(Http1WebSocketWire.handshake("/ws"));
        harness.feed(input, feed);
        List<Frame> out = Http1WebSocketWire.frames(harness.response());
        assertEquals(expected, out.stream().map(Http1WebSocketConformanceTest::describe).collect(Collectors.toList()));
        if (expected.get(expected.size() - 1).startsWith("CLOSE")) {
            assertFalse(harness.open(), "the connection stays open after the close handshake");
        } else {
            harness.feed(close(1000, new byte[0]));
        }
        harness.response();
        harness.channel().close();
        assertFalse(harness.channel().finish());
        harness.close();
    }

    private static String describe(Frame f) {
        String kind = switch (f.opcode()) {
            case TEXT -> "TEXT";
            case BINARY -> "BINARY";
            case CONTINUATION -> "CONTINUATION";
            case PONG -> "PONG";
            case CLOSE -> "CLOSE";
            default -> "OP" + f.opcode();
        };
        return kind + ":" + (f.opcode() == CLOSE ? (f.closeCode() < 0 ? "" : Integer.toString(f.closeCode()))
                : hex(f.payload()));
    }

    private static String hex(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) {
            s.append(String.format("%02x", x & 0xff));
        }
        return s.toString();
    }
}
