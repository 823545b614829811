package io.gatehouse.tests.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A cleartext HTTP/2 client that sends frames by hand, for the attacks no real client makes: a reset storm, endless
 * CONTINUATION frames, PING and SETTINGS floods it never reads the answers to, a window it never opens. Header blocks
 * use HPACK's static table only ({@code :method GET}, {@code :scheme http}, {@code :path /}) plus literal fields.
 */
final class H2Attacker implements AutoCloseable {
    static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    static final int DATA = 0;
    static final int HEADERS = 1;
    static final int RST_STREAM = 3;
    static final int SETTINGS = 4;
    static final int PING = 6;
    static final int GOAWAY = 7;
    static final int CONTINUATION = 9;

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    H2Attacker(int port, int receiveBuffer) throws IOException {
        socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(10_000);
        out = socket.getOutputStream();
        in = socket.getInputStream();
    }

    /** The preface and SETTINGS with the given (id, value) pairs. */
    void preface(int... settings) throws IOException {
        out.write(PREFACE);
        ByteBuffer b = ByteBuffer.allocate(settings.length * 3);
        for (int i = 0; i < settings.length; i += 2) {
            b.putShort((short) settings[i]).putInt(settings[i + 1]);
        }
        frame(SETTINGS, 0, 0, b.array());
    }

    /** A header block for {@code GET path}: indexed :method GET, :scheme http, then literal :path and :authority. */
    static byte[] get(String path) {
        ByteBuffer b = ByteBuffer.allocate(64 + path.length());
        b.put((byte) 0x82).put((byte) 0x86);
        literal(b, 4, path);
        literal(b, 1, "localhost");
        return java.util.Arrays.copyOf(b.array(), b.position());
    }

    private static void literal(ByteBuffer b, int index, String value) {
        b.put((byte) index); // literal without indexing, indexed name (4-bit prefix)
        b.put((byte) value.length());
        b.put(value.getBytes(StandardCharsets.US_ASCII));
    }

    void frame(int type, int flags, int stream, byte[] payload) throws IOException {
        byte[] f = new byte[9 + payload.length];
        f[0] = (byte) (payload.length >>> 16);
        f[1] = (byte) (payload.length >>> 8);
        f[2] = (byte) payload.length;
        f[3] = (byte) type;
        f[4] = (byte) flags;
        ByteBuffer.wrap(f, 5, 4).putInt(stream);
        System.arraycopy(payload, 0, f, 9, payload.length);
        out.write(f);
    }

    void rst(int stream) throws IOException {
        frame(RST_STREAM, 0, stream, ByteBuffer.allocate(4).putInt(8).array()); // CANCEL
    }

    void ping(long opaque) throws IOException {
        frame(PING, 0, 0, ByteBuffer.allocate(8).putLong(opaque).array());
    }

    void flush() throws IOException {
        out.flush();
    }

    /**
     * Reads frames until one of {@code type} comes (its payload), the connection ends (null), or the read times out.
     */
    byte[] awaitFrame(int type) throws IOException {
        byte[] head = new byte[9];
        while (true) {
            if (in.readNBytes(head, 0, 9) < 9) {
                return null;
            }
            int length = (head[0] & 0xff) << 16 | (head[1] & 0xff) << 8 | (head[2] & 0xff);
            byte[] payload = in.readNBytes(length);
            if ((head[3] & 0xff) == type) {
                return payload;
            }
        }
    }

    /** True once the server has closed the connection (reads end), within the socket's timeout. */
    boolean closedByServer() {
        try {
            byte[] sink = new byte[65536];
            while (in.read(sink) >= 0) {
                // drain what the server sent before it closed
            }
            return true;
        } catch (IOException e) {
            return e.getMessage() != null && e.getMessage().contains("reset");
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
