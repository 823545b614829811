package io.gatehouse.core.testing;

import io.gatehouse.app.Headers;
import java.util.List;

/**
 * A response head an app must never get past the listener, for the tests of every runtime and protocol: each would
 * split the response, smuggle a field past the front server, or is not HTTP. Every one carries {@link #MARKER}, so a
 * test can tell that none of its bytes reached the wire.
 *
 * @param label   what is wrong, for the test's name
 * @param status  the status the app gives
 * @param reason  the reason phrase it gives (null: the standard one)
 * @param headers its fields
 * @param problem a part of the log line that says what was refused
 */
public record HostileHead(String label, int status, String reason, Headers headers, String problem) {
    /** The text that must never reach the wire. */
    public static final String MARKER = "Injected";

    @Override
    public String toString() {
        return label;
    }

    /** The table: CR, LF, NUL, obs-fold and control characters in values, bad names, bad reasons, bad statuses. */
    public static List<HostileHead> all() {
        return List.of(
                field("CRLF in a value", "X-A", "1\r\nX-Injected: yes", "contains CR (0x0d) at 1"),
                field("LF alone in a value", "X-A", "1\nX-Injected: yes", "contains LF (0x0a) at 1"),
                field("CR alone in a value", "X-A", "1\rX-Injected: yes", "contains CR (0x0d) at 1"),
                field("NUL in a value", "X-A", "1\0X-Injected", "contains NUL (0x00) at 1"),
                field("obs-fold in a value", "X-Injected", "a\r\n b", "contains CR (0x0d) at 1"),
                field("vertical tab in a value", "X-A", "Injected\u000b", "control character (0x0b)"),
                field("DEL in a value", "X-A", "Injected\u007f", "control character (0x7f)"),
                field("a line separator (not a byte) in a value", "X-A", "1\u2028X-Injected: yes", "U+2028"),
                field("a space in a name", "X Injected", "yes", "'X Injected' is not a token"),
                field("a colon in a name", "X-Injected:", "yes", "is not a token"),
                field("CRLF in a name", "X-A\r\nX-Injected", "yes", "'X-A\\x0d\\x0aX-Injected' is not a token"),
                field("an empty name", "", "Injected", "'' is not a token"),
                field("a leading space in a name (obs-fold)", " X-Injected", "yes", "is not a token"),
                field("a non-ASCII name", "X-\u00cenjected", "yes", "is not a token"),
                new HostileHead("CRLF in the reason phrase", 200, "OK\r\nX-Injected: yes", new Headers(),
                        "the reason phrase contains CR (0x0d) at 2"),
                new HostileHead("NUL in the reason phrase", 200, "OK\0Injected", new Headers(),
                        "the reason phrase contains NUL"),
                status(99), status(100), status(600), status(1000), status(-200));
    }

    private static HostileHead field(String label, String name, String value, String problem) {
        return new HostileHead(label, 200, null, Headers.of("Content-Type", "text/plain", name, value), problem);
    }

    private static HostileHead status(int status) {
        return new HostileHead("status " + status, status, null, Headers.of("X-Injected", "yes"),
                "status " + status + " is not a final status (expected 200..599)");
    }
}
