package io.gatehouse.protocol.ajp;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Builds AJP13 packets the way mod_jk and mod_proxy_ajp do (jk_ajp_common.c ajp_marshal_into_msgb, ajp_header.c):
 * a forward request with coded header names where a code exists, the attributes in their order and the remote
 * port as a req_attribute; body packets with their chunk length; the two spellings of the empty body packet.
 */
final class AjpRequestWriter {
    private int methodCode = 2;
    private String storedMethod;
    private String protocol = "HTTP/1.1";
    private final String uri;
    private String remoteAddr = "192.0.2.7";
    private String remoteHost = "192.0.2.7";
    private String serverName = "www.example.org";
    private int serverPort = 80;
    private boolean ssl;
    private final List<Object[]> headers = new ArrayList<>();
    private final ByteArrayOutputStream attributes = new ByteArrayOutputStream();
    private boolean remotePort = true;

    private AjpRequestWriter(String uri) {
        this.uri = uri;
    }

    /** A GET of {@code uri} (the path, percent-encoded as the web servers send it). */
    static AjpRequestWriter get(String uri) {
        return new AjpRequestWriter(uri).header("Host", "www.example.org");
    }

    /** A GET of {@code uri} without any header. */
    static AjpRequestWriter bare(String uri) {
        return new AjpRequestWriter(uri);
    }

    /** The method, by its code when it has one (as mod_jk does), else stored as an attribute. */
    AjpRequestWriter method(String name) {
        for (int i = 1; i < AjpConstants.METHODS.length; i++) {
            if (AjpConstants.METHODS[i].equals(name)) {
                methodCode = i;
                storedMethod = null;
                return this;
            }
        }
        methodCode = AjpConstants.STORED_METHOD_CODE;
        storedMethod = name;
        return this;
    }

    AjpRequestWriter methodCode(int code) {
        methodCode = code;
        return this;
    }

    AjpRequestWriter protocol(String p) {
        protocol = p;
        return this;
    }

    AjpRequestWriter remote(String addr, String host) {
        remoteAddr = addr;
        remoteHost = host;
        return this;
    }

    AjpRequestWriter server(String name, int port) {
        serverName = name;
        serverPort = port;
        return this;
    }

    AjpRequestWriter ssl(boolean on) {
        ssl = on;
        return this;
    }

    /** Leaves out the AJP_REMOTE_PORT attribute both web servers add. */
    AjpRequestWriter withoutRemotePort() {
        remotePort = false;
        return this;
    }

    /** A header, coded like sc_for_req_header when the name has a code. */
    AjpRequestWriter header(String name, String value) {
        int code = code(name);
        headers.add(new Object[] {code > 0 ? (Object) code : name, value});
        return this;
    }

    /** A header with its name as a plain string even when a code exists. */
    AjpRequestWriter plainHeader(String name, String value) {
        headers.add(new Object[] {name, value});
        return this;
    }

    /** A header with the given 16-bit name code. */
    AjpRequestWriter codedHeader(int code, String value) {
        headers.add(new Object[] {code, value});
        return this;
    }

    AjpRequestWriter attribute(int code, String value) {
        attributes.write(code);
        writeString(attributes, value);
        return this;
    }

    AjpRequestWriter keySize(int bits) {
        attributes.write(AjpConstants.ATTR_SSL_KEY_SIZE);
        attributes.write(bits >> 8);
        attributes.write(bits);
        return this;
    }

    AjpRequestWriter requestAttribute(String name, String value) {
        attributes.write(AjpConstants.ATTR_REQ_ATTRIBUTE);
        writeString(attributes, name);
        writeString(attributes, value);
        return this;
    }

    AjpRequestWriter secret(String s) {
        return attribute(AjpConstants.ATTR_SECRET, s);
    }

    AjpRequestWriter query(String q) {
        return attribute(AjpConstants.ATTR_QUERY_STRING, q);
    }

    /** The payload of the forward request (prefix code included), without the packet header. */
    byte[] payload() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(AjpConstants.FORWARD_REQUEST);
        out.write(methodCode);
        writeString(out, protocol);
        writeString(out, uri);
        writeString(out, remoteAddr);
        writeString(out, remoteHost);
        writeString(out, serverName);
        writeShort(out, serverPort);
        out.write(ssl ? 1 : 0);
        writeShort(out, headers.size());
        for (Object[] h : headers) {
            if (h[0] instanceof Integer code) {
                writeShort(out, code);
            } else {
                writeString(out, (String) h[0]);
            }
            writeString(out, (String) h[1]);
        }
        out.writeBytes(attributes.toByteArray());
        if (storedMethod != null) {
            out.write(AjpConstants.ATTR_STORED_METHOD);
            writeString(out, storedMethod);
        }
        if (remotePort) {
            out.write(AjpConstants.ATTR_REQ_ATTRIBUTE);
            writeString(out, AjpConstants.REQ_REMOTE_PORT);
            writeString(out, "50123");
        }
        out.write(AjpConstants.ATTR_ARE_DONE);
        return out.toByteArray();
    }

    /** The whole forward request packet. */
    byte[] build() {
        return packet(payload());
    }

    /** A packet from the web server: magic 0x1234, length, payload. */
    static byte[] packet(byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeShort(out, AjpConstants.MAGIC_IN);
        writeShort(out, payload.length);
        out.writeBytes(payload);
        return out.toByteArray();
    }

    /** A body packet: chunk length and data, no terminator (ajp_send_data_msg, ajp_read_into_msg_buff). */
    static byte[] body(byte[] data) {
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        writeShort(payload, data.length);
        payload.writeBytes(data);
        return packet(payload.toByteArray());
    }

    /** The empty body packet as mod_jk ends a chunked body: no payload at all. */
    static byte[] emptyBody() {
        return packet(new byte[0]);
    }

    /** The empty body packet as mod_proxy_ajp ends a chunked body: a chunk length of zero. */
    static byte[] zeroLengthBody() {
        return packet(new byte[] {0, 0});
    }

    static byte[] cping() {
        return packet(new byte[] {AjpConstants.CPING});
    }

    /** Joins packets into one stream. */
    static byte[] join(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static int code(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        String[] known = {"accept", "accept-charset", "accept-encoding", "accept-language", "authorization",
            "connection", "content-type", "content-length", "cookie", "cookie2", "host", "pragma", "referer",
            "user-agent"};
        for (int i = 0; i < known.length; i++) {
            if (known[i].equals(lower)) {
                return 0xA001 + i;
            }
        }
        return -1;
    }

    static void writeString(ByteArrayOutputStream out, String s) {
        if (s == null) {
            writeShort(out, 0xFFFF);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        writeShort(out, b.length);
        out.writeBytes(b);
        out.write(0);
    }

    static void writeShort(ByteArrayOutputStream out, int v) {
        out.write(v >> 8);
        out.write(v);
    }
}
