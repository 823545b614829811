package io.gatehouse.protocol.scgi;

import io.gatehouse.core.testing.vars.VarsRequestWriter;
import io.gatehouse.spi.protocol.CgiVars;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Builds SCGI requests the way nginx's scgi module writes them (CONTENT_LENGTH first), for tests. */
final class ScgiRequestWriter extends VarsRequestWriter<ScgiRequestWriter> {

    /** Only CONTENT_LENGTH (0) and nothing else. */
    static ScgiRequestWriter empty() {
        return new ScgiRequestWriter().var("CONTENT_LENGTH", "0");
    }

    /** What nginx sends with Debian's scgi_params for {@code method} and {@code uri} (origin-form, raw). */
    static ScgiRequestWriter nginx(String method, String uri) {
        int q = uri.indexOf('?');
        String path = q < 0 ? uri : uri.substring(0, q);
        return empty()
                .var("REQUEST_METHOD", method)
                .var("REQUEST_URI", uri)
                .var("QUERY_STRING", q < 0 ? "" : uri.substring(q + 1))
                .var("CONTENT_TYPE", "")
                .var("DOCUMENT_URI", CgiVars.decodePath(path))
                .var("DOCUMENT_ROOT", "/usr/share/nginx/html")
                .var("SCGI", "1")
                .connectionVars();
    }

    /** Each header: name, NUL, value, NUL. */
    @Override
    protected void writeVar(ByteArrayOutputStream out, String name, String value) {
        out.writeBytes(name.getBytes(StandardCharsets.ISO_8859_1));
        out.write(0);
        out.writeBytes(value.getBytes(StandardCharsets.ISO_8859_1));
        out.write(0);
    }

    /** The headers as a netstring ("LENGTH:" block ","), then the body. */
    @Override
    protected byte[] frame(byte[] block, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes((block.length + ":").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(block);
        out.write(',');
        out.writeBytes(body);
        return out.toByteArray();
    }
}
