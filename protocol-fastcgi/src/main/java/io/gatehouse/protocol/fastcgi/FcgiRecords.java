package io.gatehouse.protocol.fastcgi;

import static io.gatehouse.protocol.fastcgi.FcgiConstants.HEADER_LENGTH;
import static io.gatehouse.protocol.fastcgi.FcgiConstants.MAX_CONTENT_LENGTH;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Builds the records the application sends (section 3.3 header, then content). No padding is written: 3.3 only
 * recommends 8-byte alignment, every web server accepts records without it, and padding would cost a buffer per
 * record for no gain on the receiving side's copy.
 */
final class FcgiRecords {
    private FcgiRecords() {
    }

    /** Writes a record header. */
    static void header(ByteBuf out, FcgiRecordType type, int requestId, int contentLength) {
        out.writeByte(FcgiConstants.VERSION_1);
        out.writeByte(type.code());
        out.writeShort(requestId);
        out.writeShort(contentLength);
        out.writeShort(0); // paddingLength, reserved
    }

    /** Writes a record header at {@code index} without moving the writer index. */
    static void header(ByteBuf out, int index, FcgiRecordType type, int requestId, int contentLength) {
        out.setByte(index, FcgiConstants.VERSION_1);
        out.setByte(index + 1, type.code());
        out.setShort(index + 2, requestId);
        out.setShort(index + 4, contentLength);
        out.setShort(index + 6, 0);
    }

    /**
     * Frames {@code data} (taking ownership) as records of {@code type} of at most 65535 content bytes each: a
     * header buffer, then a slice of the data, so the body bytes are not copied.
     */
    static void frame(ByteBufAllocator alloc, FcgiRecordType type, int requestId, ByteBuf data, List<Object> out) {
        try {
            while (data.isReadable()) {
                int n = Math.min(data.readableBytes(), MAX_CONTENT_LENGTH);
                ByteBuf head = alloc.buffer(HEADER_LENGTH);
                header(head, type, requestId, n);
                out.add(head);
                out.add(data.readRetainedSlice(n));
            }
        } finally {
            data.release();
        }
    }

    /** FCGI_END_REQUEST (5.5). */
    static ByteBuf endRequest(ByteBufAllocator alloc, int requestId, int appStatus, int protocolStatus) {
        ByteBuf out = alloc.buffer(2 * HEADER_LENGTH);
        writeEndRequest(out, requestId, appStatus, protocolStatus);
        return out;
    }

    /** The empty STDOUT record that closes the stream, then FCGI_END_REQUEST, in one buffer. */
    static ByteBuf endStdoutAndRequest(ByteBufAllocator alloc, int requestId, int appStatus) {
        ByteBuf out = alloc.buffer(3 * HEADER_LENGTH);
        header(out, FcgiRecordType.STDOUT, requestId, 0);
        writeEndRequest(out, requestId, appStatus, FcgiConstants.REQUEST_COMPLETE);
        return out;
    }

    private static void writeEndRequest(ByteBuf out, int requestId, int appStatus, int protocolStatus) {
        header(out, FcgiRecordType.END_REQUEST, requestId, 8);
        out.writeInt(appStatus);
        out.writeByte(protocolStatus);
        out.writeMedium(0);
    }

    /** FCGI_UNKNOWN_TYPE (4.2): the management record type this application does not understand. */
    static ByteBuf unknownType(ByteBufAllocator alloc, int type) {
        ByteBuf out = alloc.buffer(2 * HEADER_LENGTH);
        header(out, FcgiRecordType.UNKNOWN_TYPE, FcgiConstants.NULL_REQUEST_ID, 8);
        out.writeByte(type);
        out.writeZero(7);
        return out;
    }

    /**
     * FCGI_GET_VALUES_RESULT (4.1) answering {@code query} from the options, each known variable once, in the order
     * asked: FCGI_MAX_CONNS is the listener's max-connections, FCGI_MAX_REQS is max-connections times
     * max-requests-in-flight (the requests it takes in at once), FCGI_MPXS_CONNS is 1 when a connection may carry
     * more than one request at once. A name this application does not know is left out.
     */
    static ByteBuf getValuesResult(ByteBufAllocator alloc, ByteBuf query, FcgiOptions options, int maxConnections) {
        Set<String> asked = new LinkedHashSet<>();
        FcgiParams.decode(query, Integer.MAX_VALUE, (name, value) -> asked.add(name));
        ByteBuf out = alloc.buffer(64);
        out.writeZero(HEADER_LENGTH);
        for (String name : asked) {
            String value = switch (name) {
                case FcgiConstants.MAX_CONNS -> Integer.toString(maxConnections);
                case FcgiConstants.MAX_REQS -> Long.toString((long) maxConnections * options.maxRequestsInFlight());
                case FcgiConstants.MPXS_CONNS -> options.maxRequestsInFlight() > 1 ? "1" : "0";
                default -> null;
            };
            if (value != null) {
                FcgiParams.encode(out, name, value);
            }
        }
        header(out, 0, FcgiRecordType.GET_VALUES_RESULT, FcgiConstants.NULL_REQUEST_ID,
                out.readableBytes() - HEADER_LENGTH);
        return out;
    }
}
