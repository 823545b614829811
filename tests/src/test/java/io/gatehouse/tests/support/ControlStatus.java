package io.gatehouse.tests.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The master's {@code status} read straight from its control socket (cheaper than a CLI run, so tests may poll). */
public final class ControlStatus {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ControlStatus() {
    }

    /** The status JSON. */
    public static JsonNode read(Path socket) {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap("status\n".getBytes(StandardCharsets.US_ASCII)));
            return JSON.readTree(Channels.newInputStream(ch));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The pids of {@code app}'s ready workers. */
    public static List<Long> readyPids(Path socket, String app) {
        List<Long> pids = new ArrayList<>();
        for (JsonNode a : read(socket).path("apps")) {
            if (a.path("name").asText().equals(app)) {
                for (JsonNode w : a.path("workers")) {
                    if (w.path("state").asText().equals("ready") && w.path("pid").asLong() > 0) {
                        pids.add(w.path("pid").asLong());
                    }
                }
            }
        }
        return pids;
    }
}
