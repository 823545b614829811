package io.gatehouse.protocol.fastcgi;

/** The record types of FastCGI 1.0 (section 8), with their wire codes. */
enum FcgiRecordType {
    BEGIN_REQUEST(1),
    ABORT_REQUEST(2),
    END_REQUEST(3),
    PARAMS(4),
    STDIN(5),
    STDOUT(6),
    STDERR(7),
    DATA(8),
    GET_VALUES(9),
    GET_VALUES_RESULT(10),
    UNKNOWN_TYPE(11);

    private static final FcgiRecordType[] BY_CODE = new FcgiRecordType[12];

    static {
        for (FcgiRecordType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;

    FcgiRecordType(int code) {
        this.code = code;
    }

    /** The type with wire code {@code code} (0..255), or null for a type this version does not define. */
    static FcgiRecordType valueOf(byte code) {
        int c = code & 0xff;
        return c < BY_CODE.length ? BY_CODE[c] : null;
    }

    /** The wire code. */
    int code() {
        return code;
    }
}
