package io.gatehouse.core.testing;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * PROXY protocol headers written byte for byte from HAProxy's proxy-protocol.txt, as haproxy's {@code send-proxy}
 * and {@code send-proxy-v2} write them, independent of the decoder under test.
 */
public final class ProxyHeaders {
    /** Section 2.2: the v2 signature. */
    private static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
    /** Version 2 in the high nibble, LOCAL (0) or PROXY (1) in the low one. */
    private static final int V2_LOCAL = 0x20;
    private static final int V2_PROXY = 0x21;
    /** Address family and transport: TCP over IPv4, TCP over IPv6. */
    private static final int TCP4 = 0x11;
    private static final int TCP6 = 0x21;
    private static final int UNIX_STREAM = 0x31;
    private static final int UNIX_PATH = 108;

    private ProxyHeaders() {
    }

    /** A v1 header: {@code line} (e.g. "PROXY TCP4 203.0.113.7 192.0.2.1 4711 80") and CRLF. */
    public static byte[] v1(String line) {
        return (line + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** A v2 PROXY header over TCP from {@code source}:{@code sourcePort} to {@code destination}:{@code port}. */
    public static byte[] v2(String source, int sourcePort, String destination, int port) {
        return v2(source, sourcePort, destination, port, new byte[0]);
    }

    /** As {@link #v2(String, int, String, int)}, with {@code tlvs} after the addresses. */
    public static byte[] v2(String source, int sourcePort, String destination, int port, byte[] tlvs) {
        byte[] src = address(source);
        byte[] dst = address(destination);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(V2_SIGNATURE);
        out.write(V2_PROXY);
        out.write(src.length == 4 ? TCP4 : TCP6);
        int length = src.length * 2 + 4 + tlvs.length;
        out.write(length >> 8);
        out.write(length);
        out.writeBytes(src);
        out.writeBytes(dst);
        out.write(sourcePort >> 8);
        out.write(sourcePort);
        out.write(port >> 8);
        out.write(port);
        out.writeBytes(tlvs);
        return out.toByteArray();
    }

    /** A v2 PROXY header for a unix stream socket (section 2.2: two 108-byte paths, NUL-padded). */
    public static byte[] v2Unix(String source, String destination) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(V2_SIGNATURE);
        out.write(V2_PROXY);
        out.write(UNIX_STREAM);
        out.write(0);
        out.write(2 * UNIX_PATH);
        out.writeBytes(Arrays.copyOf(source.getBytes(StandardCharsets.US_ASCII), UNIX_PATH));
        out.writeBytes(Arrays.copyOf(destination.getBytes(StandardCharsets.US_ASCII), UNIX_PATH));
        return out.toByteArray();
    }

    /** A v2 LOCAL header, as haproxy sends for a health check: no addresses (UNSPEC). */
    public static byte[] v2Local() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(V2_SIGNATURE);
        out.write(V2_LOCAL);
        out.write(0x00);
        out.write(0);
        out.write(0);
        return out.toByteArray();
    }

    /** A TLV of {@code type} (section 2.2.7) holding {@code value}. */
    public static byte[] tlv(int type, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(type);
        out.write(value.length >> 8);
        out.write(value.length);
        out.writeBytes(value);
        return out.toByteArray();
    }

    /** {@code header} then {@code request}, as they arrive on the connection. */
    public static byte[] before(byte[] header, byte[] request) {
        byte[] all = new byte[header.length + request.length];
        System.arraycopy(header, 0, all, 0, header.length);
        System.arraycopy(request, 0, all, header.length, request.length);
        return all;
    }

    private static byte[] address(String literal) {
        try {
            return InetAddress.getByName(literal).getAddress(); // a literal: no lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }
}
