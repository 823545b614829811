package io.gatehouse.spi.exchange;

import io.gatehouse.app.Headers;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;

/**
 * A WebSocket (RFC 6455) offered by the client's handshake, as a runtime sees it: accepted (101, then messages both
 * ways) or refused with an ordinary response. Messages pass in pieces (a message may be larger than any one buffer);
 * reading is pulled, so a runtime that does not read stops the listener reading from the client. Usable from any
 * thread; callbacks run on the listener's loop.
 */
public interface WebSocket {

    /** Close codes of RFC 6455 section 7.4.1 that the container itself sends. */
    int NORMAL = 1000;
    int GOING_AWAY = 1001;
    int ABNORMAL = 1006;
    int INTERNAL_ERROR = 1011;
    int SERVICE_RESTART = 1012;

    /**
     * True if an endpoint may send {@code code} in a close frame: 1000 to 1003 and 1007 to 1014 (RFC 6455 7.4.1 and
     * IANA's registry), or 3000 to 4999 (libraries and applications). 1005, 1006 and 1015 only ever report a close.
     */
    static boolean sendable(int code) {
        return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
    }

    /** What the listener attaches to a handshake's head: makes the socket once the exchange's response exists. */
    interface Handshake {
        /** The socket of the exchange whose response is {@code response}. */
        WebSocket open(Response response);
    }

    /** Receives the next piece of the client's messages, or its close; called once per {@link #read}. */
    interface Receiver {
        /** A piece of a message (owned by the receiver); {@code last} ends the message. */
        void onMessage(ByteBuf data, boolean text, boolean last);

        /** The client closed (its code and reason), or went away without closing ({@link #ABNORMAL}). */
        void onClose(int code, String reason);
    }

    /** The subprotocols the client offered (Sec-WebSocket-Protocol), in its order; empty for none. */
    java.util.List<String> subprotocols();

    /**
     * Completes the handshake: 101 with {@code subprotocol} (null: none; else one the client offered) and the app's
     * {@code headers}. False if the exchange was answered already (refused, or the client left).
     */
    boolean accept(String subprotocol, Headers headers);

    /** True once accepted: the exchange now lasts as long as the socket, which harakiri does not bound. */
    boolean accepted();

    /** Delivers the next piece of a message, or the close, to {@code receiver}: now or when it arrives. */
    void read(Receiver receiver);

    /** Sends a piece of a message (taking ownership of {@code data}); {@code last} ends it. False once closing. */
    boolean send(ByteBuf data, boolean text, boolean last);

    /**
     * Closes with {@code code} and {@code reason} (the close handshake, bounded by the listener's close timeout), and
     * then ends the exchange; {@code code} is {@link #sendable}. Before {@link #accept} the handshake is refused
     * instead, with 403.
     */
    void close(int code, String reason);

    /** True while the client's socket takes more without queueing in memory. */
    boolean writable();

    /** Runs {@code callback} once the socket is writable again (at once if it is), on the listener's loop. */
    void whenWritable(Runnable callback);

    /**
     * Refuses a handshake that an app cannot take (a WSGI, JVM, CGI or static app): 400 with {@code reason} as the
     * plain-text body, and the connection closed, so the client learns why rather than getting a page it cannot use.
     */
    static void refuse(Response response, String reason) {
        ByteBuf body = Unpooled.copiedBuffer(reason + "\n", StandardCharsets.UTF_8);
        Headers headers = new Headers().add("Content-Type", "text/plain; charset=utf-8")
                .add("Content-Length", Integer.toString(body.readableBytes())).add("Connection", "close");
        if (response.head(400, null, headers, body.readableBytes())) {
            response.chunk(body, false);
            response.end();
        } else {
            body.release();
        }
    }
}
