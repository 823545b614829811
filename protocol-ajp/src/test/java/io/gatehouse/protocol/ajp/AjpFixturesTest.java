package io.gatehouse.protocol.ajp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.testing.Decoded;
import io.gatehouse.core.testing.Feed;
import io.gatehouse.core.testing.LeakCheck;
import io.gatehouse.spi.exchange.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Packets captured from mod_proxy_ajp and mod_jk (src/test/resources/ajp/valid, one flight of packets per line)
 * and broken variants of them (ajp/invalid), fed whole, byte by byte and in random splits. Valid ones must give
 * the environ in their .env file; invalid ones the status (a failed head) or the close their .expect file names.
 */
@ExtendWith(LeakCheck.class)
class AjpFixturesTest {

    static Stream<Arguments> valid() throws Exception {
        return cases("valid", ".env");
    }

    static Stream<Arguments> invalid() throws Exception {
        return cases("invalid", ".expect");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("valid")
    void decodesCapturedRequestsAsTheirEnvironFileSays(String name, Feed feed, Path hex, Path expected)
            throws IOException {
        EmbeddedChannel channel = AjpTestChannels.codec(AjpTestChannels.withSecret("s3cret"));
        List<byte[]> flights = flights(hex);
        for (int i = 0; i < flights.size(); i++) {
            AjpReply written = AjpReply.drain(channel);
            if (i > 0) {
                assertEquals(1, written.asks.size(), "one GET_BODY_CHUNK before flight " + (i + 1));
            }
            for (ByteBuf part : feed.split(flights.get(i))) {
                channel.writeInbound(part);
            }
        }
        List<Decoded> decoded = Decoded.drain(channel);
        assertEquals(1, decoded.size());
        Decoded request = decoded.get(0);
        assertFalse(request.head().isFailed(), () -> String.valueOf(request.head().failure()));
        for (String line : Files.readAllLines(expected)) {
            if (line.startsWith("@length=")) {
                assertEquals(Long.parseLong(line.substring(8)), request.head().contentLength(), name);
            } else if (line.startsWith("@body=")) {
                assertArrayEquals(line.substring(6).getBytes(StandardCharsets.ISO_8859_1), request.body(), name);
                assertTrue(request.ended(), "body ended");
            } else if (line.startsWith("!")) {
                assertNull(request.env(line.substring(1)), line);
            } else if (!line.isBlank()) {
                int eq = line.indexOf('=');
                assertEquals(unescape(line.substring(eq + 1)), request.env(line.substring(0, eq)), line);
            }
        }
        assertNull(request.env("AJP_ATTR_AJP_REMOTE_PORT"), "known attributes are not repeated");
        AjpReply.drain(channel);
        assertFalse(channel.finish());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("invalid")
    void refusesBrokenRequestsAsTheirExpectFileSays(String name, Feed feed, Path hex, Path expected)
            throws IOException {
        EmbeddedChannel channel = AjpTestChannels.codec(AjpTestChannels.withSecret("s3cret"));
        List<String> expect = Files.readAllLines(expected);
        String detail = expect.stream().filter(l -> l.startsWith("detail=")).findFirst().orElseThrow().substring(7);
        ProtocolException closed = null;
        for (byte[] flight : flights(hex)) {
            for (ByteBuf part : feed.split(flight)) {
                try {
                    channel.writeInbound(part);
                } catch (DecoderException e) {
                    closed = (ProtocolException) e.getCause();
                    break;
                }
            }
        }
        List<Decoded> decoded = Decoded.drain(channel);
        if (expect.get(0).equals("close")) {
            assertNotNull(closed, "the decoder gave up on the connection");
            assertTrue(closed.getMessage().contains(detail), closed.getMessage());
            assertTrue(decoded.stream().noneMatch(d -> d.head().isFailed()), "nothing to answer");
        } else {
            assertNull(closed, "closed instead of answering");
            assertEquals(1, decoded.size());
            ProtocolException failure = decoded.get(0).head().failure();
            assertNotNull(failure, "a failed head");
            assertEquals(Integer.parseInt(expect.get(0).substring(7)), failure.fault().status());
            assertTrue(failure.getMessage().contains(detail), failure.getMessage());
        }
        AjpReply.drain(channel);
        assertFalse(channel.finish());
    }

    private static Stream<Arguments> cases(String dir, String expectation) throws IOException, URISyntaxException {
        Path root = Path.of(AjpFixturesTest.class.getResource("/ajp/" + dir).toURI());
        List<Arguments> all = new ArrayList<>();
        try (Stream<Path> files = Files.list(root)) {
            for (Path hex : files.filter(p -> p.toString().endsWith(".hex")).sorted().toList()) {
                String name = hex.getFileName().toString().replace(".hex", "");
                for (Feed feed : Feed.values()) {
                    all.add(Arguments.of(name, feed, hex, hex.resolveSibling(name + expectation)));
                }
            }
        }
        return all.stream();
    }

    private static List<byte[]> flights(Path hex) throws IOException {
        return Files.readAllLines(hex).stream().filter(l -> !l.isBlank() && !l.startsWith("#"))
                .map(l -> HexFormat.of().parseHex(l.trim())).toList();
    }

    /** {@code \xHH} escapes to the char of that byte, as native strings hold non-ASCII bytes. */
    private static String unescape(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            if (s.startsWith("\\x", i)) {
                out.append((char) Integer.parseInt(s.substring(i + 2, i + 4), 16));
                i += 3;
            } else {
                out.append(s.charAt(i));
            }
        }
        return out.toString();
    }
}
