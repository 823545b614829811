package io.gatehouse.protocol.http;

import io.gatehouse.spi.exchange.Fault;
import io.gatehouse.spi.exchange.ProtocolException;
import io.netty.buffer.ByteBuf;

/**
 * The lines of a request (request line, field lines, chunk-size lines, trailer lines): each found within its limit
 * as bytes arrive, so no more than the limit and its line ending is ever buffered, then copied once into an array
 * for parsing (rather than read byte by byte from the buffer).
 */
final class Http1Lines {
    /** The kinds of line a limit applies to, with the fault and the words of the log line when one is too long. */
    enum Kind {
        REQUEST(Fault.URI_TOO_LONG, "request line exceeds max-request-line"),
        HEADER(Fault.HEADERS_TOO_LARGE, "header section exceeds max-header-size"),
        TRAILER(Fault.HEADERS_TOO_LARGE, "trailer section exceeds max-header-size"),
        CHUNK_SIZE(Fault.BAD_REQUEST, "chunk-size line exceeds");

        final Fault fault;
        final String detail;

        Kind(Fault fault, String detail) {
            this.fault = fault;
            this.detail = detail;
        }
    }

    /** Initial size of the copy, made at a head's first line and given back once the head is done. */
    private static final int INITIAL = 512;
    private static final byte[] NONE = new byte[0];

    private final int maxRequestLine;
    private final int maxHeaderSize;
    /** Bytes of the current line already searched for its LF, so a slowly arriving line is scanned once. */
    private int scanned;
    /** The copy; none while the connection is between heads, so an idle connection holds no line memory. */
    private byte[] bytes = NONE;

    Http1Lines(Http1Options options) {
        this.maxRequestLine = (int) options.maxRequestLine().bytes();
        this.maxHeaderSize = (int) options.maxHeaderSize().bytes();
    }

    /**
     * Index of the LF ending the line at the reader index, or -1 if more bytes are needed. The line may hold at
     * most {@code limit} bytes before its line ending; past that the kind's fault is raised as soon as the bytes
     * show it.
     */
    int find(ByteBuf in, int limit, Kind kind) {
        int start = in.readerIndex();
        int window = limit + 2;
        int to = Math.min(in.writerIndex(), start + window);
        int lf = start + scanned < to ? in.indexOf(start + scanned, to, Http1Constants.LF) : -1;
        if (lf >= 0) {
            scanned = 0;
            if (end(in, lf) - start > limit) {
                throw tooLong(kind);
            }
            return lf;
        }
        if (in.writerIndex() - start >= window) {
            throw tooLong(kind);
        }
        scanned = in.writerIndex() - start;
        return -1;
    }

    /** True while a line has begun arriving but its end has not. */
    boolean partial() {
        return scanned > 0;
    }

    /** End of the content of the line ending at {@code lf}: before the CR of a CRLF, or at a bare LF. */
    static int end(ByteBuf in, int lf) {
        return lf > in.readerIndex() && in.getByte(lf - 1) == Http1Constants.CR ? lf - 1 : lf;
    }

    /** As {@link #end}, but a bare LF is refused: chunked framing must be exact. */
    static int strictEnd(ByteBuf in, int lf, String what) {
        if (lf == in.readerIndex() || in.getByte(lf - 1) != Http1Constants.CR) {
            throw Http1HeadBuilder.bad(what + " ends in a bare LF");
        }
        return lf - 1;
    }

    /** Copies bytes [start, end) to the start of {@link #bytes()}; returns their number. */
    int copy(ByteBuf in, int start, int end) {
        int length = end - start;
        if (length > bytes.length) {
            bytes = new byte[Math.max(length, Math.max(INITIAL, bytes.length * 2))];
        }
        in.getBytes(start, bytes, 0, length);
        return length;
    }

    /** The last line copied; ask after {@link #copy}, which replaces the array when a line is longer than it. */
    byte[] bytes() {
        return bytes;
    }

    /** Gives back the memory of the lines once a head is done (chunk and trailer lines take it again). */
    void shrink() {
        bytes = NONE;
    }

    void reset() {
        scanned = 0;
    }

    private ProtocolException tooLong(Kind kind) {
        int limit = switch (kind) {
            case REQUEST -> maxRequestLine;
            case HEADER, TRAILER -> maxHeaderSize;
            case CHUNK_SIZE -> Http1Constants.MAX_CHUNK_LINE;
        };
        return new ProtocolException(kind.fault, kind.detail + " " + limit + " bytes");
    }
}
