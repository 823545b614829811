package io.gatehouse.protocol.uwsgi;

/**
 * The modifier1 values that announce an HTTP request: a vars block followed by the request body (uWSGI
 * documentation, "Packet descriptions"). uWSGI picks the language plugin by them; Gatehouse routes by its config
 * and only records the value, so every one of these is served alike. The other modifier1 values (management,
 * spooler, ping, cache, RPC, ...) are not requests and are refused.
 */
enum UwsgiPacketType {
    WSGI(0), PSGI(5), LUA(6), RACK(7), JVM(8), CGI(9), PHP(14), MONO(15),
    /** A WSGI request whose PATH_INFO still begins with SCRIPT_NAME, which the server must remove. */
    WSGI_MANAGE_PATH_INFO(30);

    private static final UwsgiPacketType[] BY_CODE = new UwsgiPacketType[256];

    static {
        for (UwsgiPacketType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;

    UwsgiPacketType(int code) {
        this.code = code;
    }

    /** The request type of this modifier1 (0..255), or null if it announces no request. */
    static UwsgiPacketType valueOf(int modifier1) {
        return BY_CODE[modifier1 & 0xff];
    }

    /** The modifier1 value. */
    int code() {
        return code;
    }
}
