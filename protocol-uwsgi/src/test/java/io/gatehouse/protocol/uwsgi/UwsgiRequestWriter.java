package io.gatehouse.protocol.uwsgi;

import io.gatehouse.core.testing.vars.VarsRequestWriter;
import io.gatehouse.spi.protocol.CgiVars;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Builds uwsgi request packets the way nginx's uwsgi module writes them, for tests. */
final class UwsgiRequestWriter extends VarsRequestWriter<UwsgiRequestWriter> {
    private int modifier1;
    private int modifier2;

    /** An empty packet: modifier1 0, no vars, no body. */
    static UwsgiRequestWriter empty() {
        return new UwsgiRequestWriter();
    }

    /** The vars nginx sends with Debian's uwsgi_params for {@code method} and {@code uri} (origin-form, raw). */
    static UwsgiRequestWriter nginx(String method, String uri) {
        int q = uri.indexOf('?');
        String path = q < 0 ? uri : uri.substring(0, q);
        return new UwsgiRequestWriter()
                .var("QUERY_STRING", q < 0 ? "" : uri.substring(q + 1))
                .var("REQUEST_METHOD", method)
                .var("CONTENT_TYPE", "")
                .var("CONTENT_LENGTH", "")
                .var("REQUEST_URI", uri)
                .var("PATH_INFO", CgiVars.decodePath(path))
                .var("DOCUMENT_ROOT", "/usr/share/nginx/html")
                .connectionVars();
    }

    UwsgiRequestWriter modifiers(int modifier1, int modifier2) {
        this.modifier1 = modifier1;
        this.modifier2 = modifier2;
        return this;
    }

    /** Each var: name and value, each after its 16-bit little-endian length. */
    @Override
    protected void writeVar(ByteArrayOutputStream out, String name, String value) {
        for (String s : new String[] {name, value}) {
            byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
            out.write(b.length & 0xff);
            out.write(b.length >> 8 & 0xff);
            out.writeBytes(b);
        }
    }

    /** The 4-byte header (modifier1, datasize, modifier2), the vars, the body. */
    @Override
    protected byte[] frame(byte[] block, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(modifier1);
        out.write(block.length & 0xff);
        out.write(block.length >> 8 & 0xff);
        out.write(modifier2);
        out.writeBytes(block);
        out.writeBytes(body);
        return out.toByteArray();
    }
}
