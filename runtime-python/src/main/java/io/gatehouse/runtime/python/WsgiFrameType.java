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
    DATA_LAST(0x2E);

    private static final WsgiFrameType[] BY_CODE = new WsgiFrameType[DATA_LAST.code + 1];

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
