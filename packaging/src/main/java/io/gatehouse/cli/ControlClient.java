package io.gatehouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** One command to the master's control socket: send a line, read the line of JSON that answers it. */
final class ControlClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SocketChannel channel;
    private final BufferedReader in;

    private ControlClient(SocketChannel channel) {
        this.channel = channel;
        this.in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
    }

    /** Connects; fails with exit status 3 when nothing listens at {@code socket}. */
    static ControlClient connect(Path socket) {
        try {
            SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                ch.connect(UnixDomainSocketAddress.of(socket));
            } catch (IOException e) {
                ch.close();
                throw e;
            }
            return new ControlClient(ch);
        } catch (IOException e) {
            throw VerbFailure.of(Gatehouse.EXIT_NOT_RUNNING, "no gatehouse master answers at " + socket + " ("
                    + e.getMessage() + ")");
        }
    }

    /** Sends {@code command} and returns the answer. */
    JsonNode send(String command) throws IOException {
        channel.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.UTF_8)));
        String line = in.readLine();
        if (line == null) {
            throw new IOException("the master closed the control connection without an answer");
        }
        return JSON.readTree(line);
    }

    /** Waits for the master to close the connection (it does as it exits); false if it did not in time. */
    boolean awaitClose(long timeoutMillis) throws InterruptedException {
        Thread reader = new Thread(() -> {
            try {
                while (in.readLine() != null) {
                    // nothing more is expected
                }
            } catch (IOException ignored) {
                // closed
            }
        }, "control-wait");
        reader.setDaemon(true);
        reader.start();
        reader.join(timeoutMillis);
        return !reader.isAlive();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
