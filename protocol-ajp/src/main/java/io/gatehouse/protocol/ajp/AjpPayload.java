package io.gatehouse.protocol.ajp;

import io.gatehouse.spi.exchange.Fault;
import io.gatehouse.spi.exchange.ProtocolException;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * A read cursor over the payload of one complete packet, with the AJP data types ("Data types": byte, boolean,
 * integer, string). Every read is checked against the packet's end, so a length that points past it is a
 * truncated field, never a read into the next packet.
 */
final class AjpPayload {
    private final ByteBuf buf;
    private final int end;
    private int pos;

    AjpPayload(ByteBuf buf, int start, int length) {
        this.buf = buf;
        this.pos = start;
        this.end = start + length;
    }

    /** True while bytes remain. */
    boolean hasMore() {
        return pos < end;
    }

    /** Bytes left. */
    int remaining() {
        return end - pos;
    }

    int u8(String field) {
        need(1, field);
        return buf.getUnsignedByte(pos++);
    }

    int u16(String field) {
        need(2, field);
        int v = buf.getUnsignedShort(pos);
        pos += 2;
        return v;
    }

    /** The next integer without consuming it (header names: a code or a string length). */
    int peekU16(String field) {
        need(2, field);
        return buf.getUnsignedShort(pos);
    }

    /** A string: length, bytes, NUL; null for the length 0xFFFF. Bytes become a native string (ISO-8859-1). */
    String string(String field) {
        int length = u16(field);
        if (length == AjpConstants.NULL_STRING) {
            return null;
        }
        need(length + 1, field);
        if (buf.getByte(pos + length) != 0) {
            throw malformed(field + " string of " + length + " bytes is not NUL-terminated");
        }
        String s = buf.toString(pos, length, StandardCharsets.ISO_8859_1);
        pos += length + 1;
        return s;
    }

    /** A string that must be present. */
    String requiredString(String field) {
        String s = string(field);
        if (s == null) {
            throw malformed(field + " is a null string");
        }
        return s;
    }

    private void need(int n, String field) {
        if (end - pos < n) {
            throw malformed("truncated " + field + ": needs " + n + " bytes, " + (end - pos) + " left in the packet");
        }
    }

    static ProtocolException malformed(String detail) {
        return new ProtocolException(Fault.BAD_REQUEST, "malformed forward request: " + detail);
    }
}
