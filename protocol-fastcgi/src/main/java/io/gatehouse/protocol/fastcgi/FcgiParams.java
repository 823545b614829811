package io.gatehouse.protocol.fastcgi;

import io.gatehouse.app.Environ;
import io.gatehouse.spi.exchange.Fault;
import io.gatehouse.spi.exchange.ProtocolException;
import io.gatehouse.spi.protocol.CgiVars;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;

/**
 * Name-value pairs (section 3.4): each length is one byte when below 128, else four bytes with the top bit set;
 * then the name and value bytes. Names and values are native strings (ISO-8859-1), so any byte survives.
 */
final class FcgiParams {
    private static final int LONG_LENGTH_BIT = 0x80;

    private FcgiParams() {
    }

    /**
     * Reads every pair of {@code in} (from its reader index to its writer index) into {@code environ}; repeated
     * names join as {@link CgiVars#addVar} says. A pair whose lengths overrun the stream is malformed input.
     *
     * @throws ProtocolException BAD_REQUEST on overrunning lengths, HEADERS_TOO_LARGE past {@code maxPairs} pairs
     */
    static void decode(ByteBuf in, Environ environ, int maxPairs) {
        decode(in, maxPairs, (name, value) -> CgiVars.addVar(environ, name, value));
    }

    /** As {@link #decode(ByteBuf, Environ, int)}, handing each pair to {@code sink}. */
    static void decode(ByteBuf in, int maxPairs, BiConsumer<String, String> sink) {
        int i = in.readerIndex();
        int end = in.writerIndex();
        int pairs = 0;
        while (i < end) {
            if (++pairs > maxPairs) {
                throw new ProtocolException(Fault.HEADERS_TOO_LARGE, "PARAMS has more than max-params " + maxPairs
                        + " name-value pairs");
            }
            long nameLength = readLength(in, i, end);
            i += lengthSize(in, i);
            long valueLength = readLength(in, i, end);
            i += lengthSize(in, i);
            if (nameLength + valueLength > end - i) {
                throw new ProtocolException(Fault.BAD_REQUEST, "name-value pair of " + nameLength + "+" + valueLength
                        + " bytes overruns its stream by " + (nameLength + valueLength - (end - i)) + " bytes");
            }
            if (nameLength == 0) {
                throw new ProtocolException(Fault.BAD_REQUEST, "name-value pair with an empty name");
            }
            String name = in.toString(i, (int) nameLength, StandardCharsets.ISO_8859_1);
            i += (int) nameLength;
            String value = in.toString(i, (int) valueLength, StandardCharsets.ISO_8859_1);
            i += (int) valueLength;
            sink.accept(name, value);
        }
        in.readerIndex(end);
    }

    /** Appends one pair to {@code out}. */
    static void encode(ByteBuf out, String name, String value) {
        writeLength(out, name.length());
        writeLength(out, value.length());
        out.writeCharSequence(name, StandardCharsets.ISO_8859_1);
        out.writeCharSequence(value, StandardCharsets.ISO_8859_1);
    }

    private static long readLength(ByteBuf in, int i, int end) {
        if (i >= end) {
            throw new ProtocolException(Fault.BAD_REQUEST, "name-value pair cut off in its lengths");
        }
        int first = in.getUnsignedByte(i);
        if ((first & LONG_LENGTH_BIT) == 0) {
            return first;
        }
        if (end - i < 4) {
            throw new ProtocolException(Fault.BAD_REQUEST, "name-value pair cut off in a 4-byte length");
        }
        return in.getUnsignedInt(i) & 0x7fffffffL;
    }

    private static int lengthSize(ByteBuf in, int i) {
        return (in.getUnsignedByte(i) & LONG_LENGTH_BIT) == 0 ? 1 : 4;
    }

    private static void writeLength(ByteBuf out, int length) {
        if (length < LONG_LENGTH_BIT) {
            out.writeByte(length);
        } else {
            out.writeInt(length | 0x80000000);
        }
    }
}
