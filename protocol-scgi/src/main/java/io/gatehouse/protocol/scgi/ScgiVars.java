package io.gatehouse.protocol.scgi;

import io.gatehouse.app.Environ;
import io.gatehouse.spi.exchange.Fault;
import io.gatehouse.spi.exchange.ProtocolException;
import io.gatehouse.spi.protocol.CgiVars;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Reads the headers of an SCGI netstring: {@code name NUL value NUL}, repeated. CONTENT_LENGTH must come first
 * and frames the body, so a later CONTENT_LENGTH is ignored; SCGI must be "1" ({@link #requireScgi}). The spec
 * forbids repeated names, but nginx sends them (a param set twice, a header field repeated), so they join as
 * {@link CgiVars#addVar} says instead of the request failing.
 */
final class ScgiVars {
    private static final int MAX_NAME_IN_LOG = 64;

    private ScgiVars() {
    }

    /**
     * Adds the headers in {@code buf[from, from + size)} to {@code env}. On a fault, {@code env} keeps the headers
     * read before it.
     *
     * @throws ProtocolException 400 for a malformed block, 431 for more than {@code maxVars} headers
     */
    static void decodeVars(ByteBuf buf, int from, int size, Environ env, int maxVars) {
        int end = from + size;
        int i = from;
        int count = 0;
        while (i < end) {
            int offset = i - from;
            if (++count > maxVars) {
                throw new ProtocolException(Fault.HEADERS_TOO_LARGE, "vars block has more than max-vars " + maxVars
                        + " vars");
            }
            int nameEnd = buf.indexOf(i, end, ScgiConstants.NUL);
            if (nameEnd < 0) {
                throw bad("name at offset " + offset + " of the vars block is not NUL-terminated");
            }
            if (nameEnd == i) {
                throw bad("var with an empty name at offset " + offset + " of the vars block");
            }
            String name = buf.toString(i, nameEnd - i, StandardCharsets.ISO_8859_1);
            int valueEnd = buf.indexOf(nameEnd + 1, end, ScgiConstants.NUL);
            if (valueEnd < 0) {
                throw bad("var " + printable(name) + " has no NUL-terminated value (dangling name)");
            }
            String value = buf.toString(nameEnd + 1, valueEnd - nameEnd - 1, StandardCharsets.ISO_8859_1);
            if (count == 1) {
                if (!name.equals(ScgiConstants.CONTENT_LENGTH)) {
                    throw bad("first var is " + printable(name) + ", not CONTENT_LENGTH");
                }
                if (value.isEmpty()) {
                    throw bad("CONTENT_LENGTH is empty");
                }
                env.put(name, value);
            } else if (!name.equals(ScgiConstants.CONTENT_LENGTH)) {
                CgiVars.addVar(env, name, value);
            }
            i = valueEnd + 1;
        }
        if (count == 0) {
            throw bad("empty vars block: CONTENT_LENGTH must come first");
        }
    }

    /** Checks the SCGI header the spec requires, "1". */
    static void requireScgi(Environ env) {
        String scgi = env.get(ScgiConstants.SCGI);
        if (!"1".equals(scgi)) {
            throw bad(scgi == null ? "no SCGI var" : "SCGI is '" + printable(scgi) + "', not 1");
        }
    }

    /** A front-server-supplied string made safe for a log line: control and non-ASCII bytes as '?', cut short. */
    static String printable(String s) {
        StringBuilder out = new StringBuilder(Math.min(s.length(), MAX_NAME_IN_LOG) + 3);
        for (int i = 0; i < s.length() && i < MAX_NAME_IN_LOG; i++) {
            char c = s.charAt(i);
            out.append(c < 0x20 || c > 0x7e ? '?' : c);
        }
        return s.length() > MAX_NAME_IN_LOG ? out.append("...").toString() : out.toString();
    }

    private static ProtocolException bad(String detail) {
        return new ProtocolException(Fault.BAD_REQUEST, detail);
    }
}
