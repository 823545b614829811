package io.gatehouse.runtime.python;

/** The frame types of the worker protocol (docs/worker-protocol.md, "Frames"), with their wire codes. */
enum WsgiFrameType {
    // master -> worker
    REQUEST(0x01),
    BODY(0x02),
    BODY_LAST(0x03),
    BODY_ABORT(0x04),
    CANCEL(0x05),
    FILE_SENT(0x06),
    FILE_REFUSED(0x07),
    STOP(0x08),
    PING(0x09),
    SPAWN(0x0A),
    /** ASGI: the request ran past harakiri; the worker's loop cancels its task. */
    HARAKIRI(0x0B),
    /** WebSocket: a piece of one of the client's messages. */
    WS_RECEIVE(0x0C),
    /** WebSocket: the client closed (or left), with its code and reason. */
    WS_DISCONNECT(0x0D),
    // worker -> master
    HELLO(0x21),
    READY(0x22),
    BOOT_FAILED(0x23),
    START(0x24),
    DATA(0x25),
    FILE(0x26),
    END(0x27),
    ABORT(0x28),
    MORE(0x29),
    PONG(0x2A),
    FORKED(0x2B),
    EXITED(0x2C),
    LOG(0x2D),
    /** ASGI: the last response body bytes; the app may still run until END. */
    DATA_LAST(0x2E),
    /** WebSocket: the app accepts, with its subprotocol and headers. */
    WS_ACCEPT(0x2F),
    /** WebSocket: a piece of one of the app's messages. */
    WS_SEND(0x30),
    /** WebSocket: the app closes, with its code and reason (before WS_ACCEPT: the handshake is refused, 403). */
    WS_CLOSE(0x31),
    /** The direct path: a request the worker could not complete (its kind, then text for the log). */
    REPORT(0x32);

    private static final WsgiFrameType[] BY_CODE = new WsgiFrameType[REPORT.code + 1];

    static {
        for (WsgiFrameType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;

    WsgiFrameType(int code) {
        this.code = code;
    }

    /** The type with wire code {@code code} (0..255), or null for a code the protocol does not define. */
    static WsgiFrameType valueOf(byte code) {
        int c = code & 0xff;
        return c < BY_CODE.length ? BY_CODE[c] : null;
    }

    /** The wire code. */
    int code() {
        return code;
    }
}
