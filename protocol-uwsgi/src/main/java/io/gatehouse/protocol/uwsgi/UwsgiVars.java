package io.gatehouse.protocol.uwsgi;

import io.gatehouse.app.Environ;
import io.gatehouse.app.EnvironKeys;
import io.gatehouse.spi.exchange.Fault;
import io.gatehouse.spi.exchange.ProtocolException;
import io.gatehouse.spi.protocol.CgiVars;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Reads a uwsgi vars block: {@code key_size (u16le), key, val_size (u16le), val}, repeated to the end of the
 * block. Every length is checked against the bytes left before anything is read. Names and values become native
 * strings; repeated names join as {@link CgiVars#addVar} says.
 */
final class UwsgiVars {
    private static final int MAX_NAME_IN_LOG = 64;

    private UwsgiVars() {
    }

    /**
     * Adds the vars in {@code buf[from, from + size)} to {@code env}. On a fault, {@code env} keeps the vars read
     * before it.
     *
     * @throws ProtocolException 400 for a malformed block, 431 for more than {@code maxVars} vars
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
            if (end - i < UwsgiConstants.LENGTH_SIZE) {
                throw bad("dangling byte at offset " + offset + " of the vars block where a name length belongs");
            }
            int keySize = buf.getUnsignedShortLE(i);
            i += UwsgiConstants.LENGTH_SIZE;
            if (keySize == 0) {
                throw bad("var with an empty name at offset " + offset + " of the vars block");
            }
            if (keySize > end - i) {
                throw bad("var name of " + keySize + " bytes at offset " + offset + " overruns the vars block of "
                        + size + " bytes");
            }
            String key = buf.toString(i, keySize, StandardCharsets.ISO_8859_1);
            i += keySize;
            if (end - i < UwsgiConstants.LENGTH_SIZE) {
                throw bad("var " + printable(key) + " has no value (dangling key at the end of the vars block)");
            }
            int valueSize = buf.getUnsignedShortLE(i);
            i += UwsgiConstants.LENGTH_SIZE;
            if (valueSize > end - i) {
                throw bad("value of var " + printable(key) + " (" + valueSize + " bytes) overruns the vars block of "
                        + size + " bytes");
            }
            CgiVars.addVar(env, key, buf.toString(i, valueSize, StandardCharsets.ISO_8859_1));
            i += valueSize;
        }
    }

    /** A front-server-supplied name made safe for a log line: control and non-ASCII bytes as '?', cut short. */
    static String printable(String name) {
        StringBuilder out = new StringBuilder(Math.min(name.length(), MAX_NAME_IN_LOG) + 3);
        for (int i = 0; i < name.length() && i < MAX_NAME_IN_LOG; i++) {
            char c = name.charAt(i);
            out.append(c < 0x20 || c > 0x7e ? '?' : c);
        }
        return name.length() > MAX_NAME_IN_LOG ? out.append("...").toString() : out.toString();
    }

    private static ProtocolException bad(String detail) {
        return new ProtocolException(Fault.BAD_REQUEST, detail);
    }

    /**
     * Removes SCRIPT_NAME from the front of PATH_INFO when PATH_INFO starts with it at a segment boundary, as
     * modifier1 30 (WSGI_MANAGE_PATH_INFO) asks. Returns true if it did.
     */
    static boolean stripScriptName(Environ env) {
        String script = env.get(EnvironKeys.SCRIPT_NAME);
        String pathInfo = env.get(EnvironKeys.PATH_INFO);
        if (pathInfo == null || !CgiVars.repeatsScriptName(pathInfo, script)) {
            return false;
        }
        env.put(EnvironKeys.PATH_INFO, pathInfo.substring(script.length()));
        return true;
    }
}
