package io.gatehouse.core.testing.vars;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds requests of a {@link VarsProtocol} the way a front server writes them, for tests: the vars in order, then
 * the body. A protocol's writer says how one var is encoded and how the block and body are framed.
 *
 * @param <W> the protocol's writer, returned by every step
 */
public abstract class VarsRequestWriter<W extends VarsRequestWriter<W>> {
    private final List<String[]> vars = new ArrayList<>();
    private byte[] body = new byte[0];

    /** Writes one var of the block (native strings: each char one byte). */
    protected abstract void writeVar(ByteArrayOutputStream out, String name, String value);

    /** The whole request around the encoded vars {@code block} and the {@code body}. */
    protected abstract byte[] frame(byte[] block, byte[] body);

    @SuppressWarnings("unchecked")
    private W self() {
        return (W) this;
    }

    /** Adds a var (native strings: each char one byte). */
    public W var(String key, String value) {
        vars.add(new String[] {key, value});
        return self();
    }

    /** Gives the first var named {@code key} the value {@code value} in its place, dropping the others, or adds it. */
    public W set(String key, String value) {
        for (String[] v : vars) {
            if (v[0].equals(key)) {
                v[1] = value;
                vars.removeIf(o -> o != v && o[0].equals(key));
                return self();
            }
        }
        return var(key, value);
    }

    /** Removes every var named {@code key}. */
    public W remove(String key) {
        vars.removeIf(v -> v[0].equals(key));
        return self();
    }

    /** The body, with CONTENT_LENGTH set to its length. */
    public W body(byte[] body) {
        this.body = body;
        return set("CONTENT_LENGTH", Integer.toString(body.length));
    }

    /** Adds an HTTP_X_PAD var that makes the vars block exactly {@code size} bytes. */
    public W padVarsTo(int size) {
        var("HTTP_X_PAD", "");
        return set("HTTP_X_PAD", "p".repeat(size - varsSize()));
    }

    /** The vars nginx takes from the connection and its server block, after the request's own. */
    protected W connectionVars() {
        return var("SERVER_PROTOCOL", "HTTP/1.1")
                .var("REQUEST_SCHEME", "http")
                .var("REMOTE_ADDR", "192.0.2.7")
                .var("REMOTE_PORT", "51000")
                .var("SERVER_PORT", "80")
                .var("SERVER_NAME", "example.org")
                .var("HTTP_HOST", "example.org");
    }

    /** How many vars the block holds. */
    public int varCount() {
        return vars.size();
    }

    /** Size of the vars block as written. */
    public int varsSize() {
        return vars().length;
    }

    /** The whole request. */
    public byte[] bytes() {
        return frame(vars(), body);
    }

    private byte[] vars() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String[] v : vars) {
            writeVar(out, v[0], v[1]);
        }
        return out.toByteArray();
    }
}
