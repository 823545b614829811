package io.gatehouse.tests.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Many client connections to one server at once, driven by one thread over NIO, for flood tests: opens them (a few
 * hundred connecting at a time, as a listen queue takes them), writes the same bytes to each, reads what comes back
 * and notes when the server closes each. Every wait is bounded. The caller's JVM needs a file descriptor per
 * connection ({@link #descriptorsAvailable}).
 */
public final class ConnectionFlood implements AutoCloseable {
    /** Connects in flight at once: within a listen queue's usual length, so none is dropped for lack of room. */
    private static final int CONNECTING = 256;

    /** One connection: when it was made, what it received, and when the server closed it (0 while open). */
    public static final class Connection {
        private final SocketChannel channel;
        private final ByteArrayOutputStream received = new ByteArrayOutputStream(0);
        private long openedAt;
        private long closedAt;

        private Connection(SocketChannel channel) {
            this.channel = channel;
        }

        /** What the server sent so far, as text. */
        public String received() {
            return received.toString(StandardCharsets.ISO_8859_1);
        }

        /** True once the server closed the connection (or reset it). */
        public boolean closed() {
            return closedAt != 0;
        }

        /** When its connect completed ({@link System#nanoTime()}). */
        public long openedAt() {
            return openedAt;
        }

        /** When the server closed it ({@link System#nanoTime()}), 0 while open. */
        public long closedAt() {
            return closedAt;
        }
    }

    private final Selector selector;
    private final List<Connection> connections = new ArrayList<>();
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
    private byte[] first = new byte[0];

    private ConnectionFlood() {
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True when this JVM may open {@code count} more files: its open-file limit leaves room for them. */
    public static boolean descriptorsAvailable(int count) {
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.UnixOperatingSystemMXBean unix
                && unix.getMaxFileDescriptorCount() - unix.getOpenFileDescriptorCount() > count + 200L;
    }

    /** Opens {@code count} connections to {@code server}, all within {@code within}, or fails. */
    public static ConnectionFlood open(InetSocketAddress server, int count, Duration within) {
        return open(server, count, within, new byte[0]);
    }

    /**
     * As {@link #open(InetSocketAddress, int, Duration)}, each connection sending {@code first} as soon as it is
     * made (before a header timeout counted from its opening runs out while the others connect).
     */
    public static ConnectionFlood open(InetSocketAddress server, int count, Duration within, byte[] first) {
        ConnectionFlood flood = new ConnectionFlood();
        flood.first = first;
        try {
            flood.connect(server, count, System.nanoTime() + within.toNanos());
            return flood;
        } catch (IOException e) {
            flood.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException | Error e) {
            flood.close();
            throw e;
        }
    }

    private void connect(InetSocketAddress server, int count, long deadline) throws IOException {
        int pending = 0;
        int started = 0;
        while (started < count || pending > 0) {
            while (started < count && pending < CONNECTING) {
                SocketChannel ch = SocketChannel.open();
                ch.configureBlocking(false);
                ch.setOption(StandardSocketOptions.SO_LINGER, 0); // closing resets: no TIME_WAIT left behind
                Connection c = new Connection(ch);
                connections.add(c);
                if (ch.connect(server)) {
                    opened(c);
                    ch.register(selector, SelectionKey.OP_READ, c);
                } else {
                    ch.register(selector, SelectionKey.OP_CONNECT, c);
                    pending++;
                }
                started++;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(count - started + pending + " of " + count + " connections not made in time");
            }
            selector.select(100);
            for (SelectionKey key : selector.selectedKeys()) {
                if (key.isValid() && key.isConnectable()) {
                    ((SocketChannel) key.channel()).finishConnect();
                    opened((Connection) key.attachment());
                    key.interestOps(SelectionKey.OP_READ);
                    pending--;
                }
            }
            selector.selectedKeys().clear();
        }
    }

    private void opened(Connection c) {
        c.openedAt = System.nanoTime();
        if (first.length > 0) {
            send(c, first);
        }
    }

    /** Writes {@code bytes} to every connection still open (a few KiB at most: a socket buffer takes them whole). */
    public void sendAll(byte[] bytes) {
        for (Connection c : connections) {
            if (!c.closed()) {
                send(c, bytes);
            }
        }
    }

    private void send(Connection c, byte[] bytes) {
        try {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining() && c.channel.write(b) > 0) {
                // a fresh socket's buffer takes a few KiB at once
            }
        } catch (IOException e) {
            markClosed(c);
        }
    }

    /** Reads whatever arrives for {@code duration}, noting closes. */
    public void pump(Duration duration) {
        pumpUntil(flood -> false, duration);
    }

    /**
     * Reads until {@code done} holds (checked every 100 ms, as it may look at every connection) or {@code limit}
     * passes; returns which.
     */
    public boolean pumpUntil(Predicate<ConnectionFlood> done, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        long nextCheck = 0;
        try {
            while (true) {
                long now = System.nanoTime();
                if (now - nextCheck >= 0) {
                    if (done.test(this)) {
                        return true;
                    }
                    nextCheck = now + 100_000_000;
                }
                long left = deadline - now;
                if (left <= 0) {
                    return false;
                }
                selector.select(Math.max(1, Math.min(100, left / 1_000_000)));
                for (SelectionKey key : selector.selectedKeys()) {
                    if (key.isValid() && key.isReadable()) {
                        read((Connection) key.attachment());
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void read(Connection c) {
        try {
            buffer.clear();
            int n = c.channel.read(buffer);
            if (n < 0) {
                markClosed(c);
                return;
            }
            buffer.flip();
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            c.received.writeBytes(bytes);
        } catch (IOException e) {
            markClosed(c); // reset
        }
    }

    private void markClosed(Connection c) {
        if (c.closedAt == 0) {
            c.closedAt = System.nanoTime();
        }
        SelectionKey key = c.channel.keyFor(selector);
        if (key != null) {
            key.cancel();
        }
    }

    /** The connections, in the order they were opened. */
    public List<Connection> connections() {
        return connections;
    }

    /** Connections whose received bytes satisfy {@code test}. */
    public long count(Predicate<Connection> test) {
        return connections.stream().filter(test).count();
    }

    /** Closes {@code connection} from the client's side. */
    public void close(Connection connection) {
        markClosed(connection);
        try {
            connection.channel.close();
        } catch (IOException e) {
            // closing a client socket: nothing to do about a failure
        }
    }

    /** Closes every connection and the selector. */
    @Override
    public void close() {
        for (Connection c : connections) {
            try {
                c.channel.close();
            } catch (IOException e) {
                // closing a client socket: nothing to do about a failure
            }
        }
        try {
            selector.close();
        } catch (IOException e) {
            // as above
        }
    }
}
