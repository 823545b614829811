package io.gatehouse.protocol.scgi;

/** Bytes and sizes of SCGI (the SCGI protocol specification, Neil Schemenauer, 2006). */
final class ScgiConstants {
    /** Ends the netstring's length (netstrings: {@code [len]":"[string]","}). */
    static final byte COLON = ':';
    /** Ends the netstring. */
    static final byte COMMA = ',';
    /** Ends every name and every value in the headers block. */
    static final byte NUL = 0;
    /** The header that must come first, "even if its value is 0". */
    static final String CONTENT_LENGTH = "CONTENT_LENGTH";
    /** The header that must be present with value "1". */
    static final String SCGI = "SCGI";
    /** More length digits than this describe more than any buffer-size allows (1 MiB has 7). */
    static final int MAX_LENGTH_DIGITS = 9;

    private ScgiConstants() {
    }
}
