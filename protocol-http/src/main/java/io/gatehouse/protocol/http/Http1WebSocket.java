package io.gatehouse.protocol.http;

import io.gatehouse.app.Headers;
import io.gatehouse.spi.exchange.Response;
import io.gatehouse.spi.exchange.WebSocket;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtension;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One WebSocket offered by a client's handshake, as the runtime uses it from any thread: accept, read, send, close.
 * Every call hops to the connection's loop, where {@link Http1WebSocketFrames} holds the socket's state; sends
 * count what is on its way, so a runtime that outpaces its client waits ({@link #writable}) instead of queueing.
 */
final class Http1WebSocket implements WebSocket, WebSocket.Handshake {
    /** RFC 6455 1.3: the GUID the accept key is computed with. */
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    /** Bytes handed to the loop but not yet written, beyond which the socket is not writable. */
    static final long SEND_LIMIT = 128 * 1024;
    /** Fields the listener writes in a 101 itself; an app's own are dropped. */
    private static final Set<String> OWNED = Set.of("upgrade", "connection", "sec-websocket-accept",
            "sec-websocket-extensions", "content-length", "transfer-encoding");

    private final Channel channel;
    private final String key;
    private final List<String> subprotocols;
    private final WebSocketServerExtension deflate;
    private final Http1WebSocketFrames frames;
    private final AtomicLong sending = new AtomicLong();
    private volatile boolean accepted;
    private Response response;
    /** Loop only: a message is being sent in pieces, so the next piece is a continuation. */
    private boolean midMessage;

    Http1WebSocket(Channel channel, Http1WebSocketOptions options, String key, String protocols,
            WebSocketServerExtension deflate) {
        this.channel = channel;
        this.key = key.trim();
        this.subprotocols = protocols == null ? List.of() : Arrays.stream(protocols.split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
        this.deflate = deflate;
        this.frames = new Http1WebSocketFrames(this, options);
    }

    @Override
    public WebSocket open(Response response) {
        this.response = response;
        return this;
    }

    Response response() {
        return response;
    }

    WebSocketServerExtension deflate() {
        return deflate;
    }

    Http1WebSocketFrames frames() {
        return frames;
    }

    @Override
    public List<String> subprotocols() {
        return subprotocols;
    }

    @Override
    public boolean accept(String subprotocol, Headers headers) {
        Headers out = new Headers().add("Upgrade", "websocket").add("Connection", "Upgrade")
                .add("Sec-WebSocket-Accept", acceptKey(key));
        if (subprotocol != null) {
            out.add("Sec-WebSocket-Protocol", subprotocol);
        }
        if (deflate != null) {
            out.add("Sec-WebSocket-Extensions", Http1WebSocketUpgrade.extensionHeader(deflate));
        }
        if (headers != null) {
            for (int i = 0; i < headers.size(); i++) {
                String name = headers.name(i);
                boolean ours = OWNED.contains(name.toLowerCase(java.util.Locale.ROOT))
                        || (subprotocol != null && name.equalsIgnoreCase("sec-websocket-protocol"));
                if (!ours) {
                    out.add(name, headers.value(i));
                }
            }
        }
        accepted = true;
        if (!response.head(101, "Switching Protocols", out, 0)) {
            accepted = false;
            return false;
        }
        response.flush();
        return true;
    }

    /** RFC 6455 4.2.2: base64 of the SHA-1 of the client's key and the GUID. */
    static String acceptKey(String key) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this JDK", e);
        }
    }

    @Override
    public boolean accepted() {
        return accepted;
    }

    @Override
    public void read(Receiver receiver) {
        onLoop(() -> frames.read(receiver));
    }

    @Override
    public boolean send(ByteBuf data, boolean text, boolean last) {
        if (!accepted || frames.closing()) {
            data.release();
            return false;
        }
        long n = data.readableBytes();
        sending.addAndGet(n);
        onLoop(() -> {
            WebSocketFrame frame = midMessage ? new ContinuationWebSocketFrame(last, 0, data)
                    : text ? new TextWebSocketFrame(last, 0, data) : new BinaryWebSocketFrame(last, 0, data);
            midMessage = !last;
            frames.send(frame);
            if (sending.addAndGet(-n) < SEND_LIMIT) {
                frames.writabilityChanged();
            }
        });
        return true;
    }

    @Override
    public void close(int code, String reason) {
        onLoop(() -> {
            if (!accepted) {
                response.error(403, null);
            } else {
                frames.close(code, reason);
            }
        });
    }

    @Override
    public boolean writable() {
        return channel.isWritable() && sending.get() < SEND_LIMIT;
    }

    @Override
    public void whenWritable(Runnable callback) {
        if (writable() || !channel.isActive()) {
            callback.run();
        } else {
            onLoop(() -> frames.whenWritable(callback));
        }
    }

    private void onLoop(Runnable task) {
        if (channel.eventLoop().inEventLoop()) {
            task.run();
        } else {
            channel.eventLoop().execute(task);
        }
    }

    /** Drops what a callback list holds (the connection is gone): each runs once, so waiters wake and see it. */
    static void runAll(List<Runnable> callbacks) {
        List<Runnable> ready = new ArrayList<>(callbacks);
        callbacks.clear();
        ready.forEach(Runnable::run);
    }
}
