package io.gatehouse.protocol.uwsgi;

/** Sizes of the uwsgi packet (uWSGI documentation, "The uwsgi Protocol"). */
final class UwsgiConstants {
    /** modifier1 (u8), datasize (u16 little-endian), modifier2 (u8). */
    static final int HEADER_SIZE = 4;
    /** The most a 16-bit datasize can describe. */
    static final int MAX_DATASIZE = 0xffff;
    /** Each var: key_size (u16le), key, val_size (u16le), val. */
    static final int LENGTH_SIZE = 2;
    /** Environ keys for the packet's modifier1 and modifier2, as decimal strings: environ facts, not routing. */
    static final String MODIFIER1_KEY = "uwsgi.modifier1";
    static final String MODIFIER2_KEY = "uwsgi.modifier2";

    private static final String[] DECIMAL = new String[256];

    static {
        for (int i = 0; i < DECIMAL.length; i++) {
            DECIMAL[i] = Integer.toString(i);
        }
    }

    private UwsgiConstants() {
    }

    /** A modifier byte as the decimal string the environ records. */
    static String decimal(int unsignedByte) {
        return DECIMAL[unsignedByte];
    }
}
