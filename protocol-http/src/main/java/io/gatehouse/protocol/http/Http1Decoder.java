package io.gatehouse.protocol.http;

import io.gatehouse.core.exchange.BodyChunk;
import io.gatehouse.core.exchange.EnvironHead;
import io.gatehouse.core.exchange.Fault;
import io.gatehouse.core.exchange.LastBodyChunk;
import io.gatehouse.core.exchange.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Decodes HTTP/1.1 requests (RFC 9112) into an {@link EnvironHead} and body chunks sliced from the input without
 * copying. Limits are checked as bytes arrive, before more are buffered: a request line over max-request-line is
 * 414, a header section over max-header-size or max-headers 431, a body over max-body-size 413. A bad head
 * becomes a failed head (the core answers it, then closes); an error inside a body already streaming to the app
 * is thrown, and the core answers it if the app has not, or cuts the connection.
 *
 * <p>The head tolerates a bare LF as line end (RFC 9112 2.2); chunked framing does not: a chunk line, the CRLF
 * after chunk data and trailer lines must end in CRLF, so no front server can read a chunk boundary where this
 * decoder reads none.
 */
final class Http1Decoder extends ByteToMessageDecoder {
    /** BAD_MESSAGE follows a fault; CLOSING a request that ends the connection (RFC 9112 9.6): both skip input. */
    private enum State {
        REQUEST_LINE, HEADERS, FIXED_BODY, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILERS, CLOSING, BAD_MESSAGE
    }

    /** The lines a limit applies to, with the fault and the words of the log line when one is too long. */
    private enum Line {
        REQUEST(Fault.URI_TOO_LONG, "request line exceeds max-request-line"),
        HEADER(Fault.HEADERS_TOO_LARGE, "header section exceeds max-header-size"),
        TRAILER(Fault.HEADERS_TOO_LARGE, "trailer section exceeds max-header-size"),
        CHUNK_SIZE(Fault.BAD_REQUEST, "chunk-size line exceeds");

        final Fault fault;
        final String detail;

        Line(Fault fault, String detail) {
            this.fault = fault;
            this.detail = detail;
        }
    }

    /** Initial size of the line copy; one grown by a long line goes back to this size after the head. */
    private static final int LINE_BUFFER = 512;

    private final Http1Options options;
    private final int maxRequestLine;
    private final int maxHeaderSize;
    private final long maxBodySize;
    private Http1HeadBuilder head;
    private State state = State.REQUEST_LINE;
    /** Bytes of the current line already searched for its LF, so a slow line is scanned once overall. */
    private int scanned;
    /** Length of the field lines of the current header or trailer section, line endings not counted. */
    private int sectionBytes;
    private int trailerCount;
    /** The current line's bytes, copied once so the head is parsed from an array rather than byte by byte. */
    private byte[] line = new byte[LINE_BUFFER];
    private long remaining;
    private long bodyBytes;
    /** The request being read is the connection's last (Connection: close, or HTTP/1.0 without keep-alive). */
    private boolean lastRequest;

    Http1Decoder(Http1Options options) {
        this.options = options;
        this.maxRequestLine = (int) options.maxRequestLine().bytes();
        this.maxHeaderSize = (int) options.maxHeaderSize().bytes();
        this.maxBodySize = options.maxBodySize().bytes();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        head = new Http1HeadBuilder(options, new Http1Connection(ctx.channel().remoteAddress(),
                ctx.channel().localAddress()));
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        try {
            while (in.isReadable() && step(in, out)) {
                // each step consumed something; go on while bytes remain
            }
        } catch (ProtocolException e) {
            boolean inHead = state == State.REQUEST_LINE || state == State.HEADERS;
            reset();
            state = State.BAD_MESSAGE;
            in.skipBytes(in.readableBytes());
            if (!inHead) {
                throw e;
            }
            out.add(EnvironHead.failed(head.partial(), 0, e));
        }
    }

    private boolean step(ByteBuf in, List<Object> out) {
        return switch (state) {
            case REQUEST_LINE -> decodeRequestLine(in);
            case HEADERS -> decodeHeaders(in, out);
            case FIXED_BODY -> decodeFixedBody(in, out);
            case CHUNK_SIZE -> decodeChunkSize(in);
            case CHUNK_DATA -> decodeChunkData(in, out);
            case CHUNK_END -> decodeChunkEnd(in);
            case TRAILERS -> decodeTrailers(in, out);
            case CLOSING, BAD_MESSAGE -> {
                in.skipBytes(in.readableBytes());
                yield false;
            }
        };
    }

    private boolean decodeRequestLine(ByteBuf in) {
        // RFC 9112 2.2: empty lines before a request line are ignored (old clients send one after a POST body)
        while (scanned == 0 && in.isReadable() && isLineEnd(in.getByte(in.readerIndex()))) {
            in.skipBytes(1);
        }
        if (!in.isReadable()) {
            return false;
        }
        int lf = findLineEnd(in, maxRequestLine, Line.REQUEST);
        if (lf < 0) {
            return false;
        }
        head.requestLine(line, copyLine(in, contentEnd(in, lf)));
        in.readerIndex(lf + 1);
        sectionBytes = 0;
        state = State.HEADERS;
        return true;
    }

    private boolean decodeHeaders(ByteBuf in, List<Object> out) {
        int lf = findLineEnd(in, maxHeaderSize - sectionBytes, Line.HEADER);
        if (lf < 0) {
            return false;
        }
        int start = in.readerIndex();
        int end = contentEnd(in, lf);
        in.readerIndex(lf + 1);
        if (end > start) {
            sectionBytes += end - start;
            head.header(line, copyLine(in, start, end));
            return true;
        }
        if (line.length > LINE_BUFFER) {
            line = new byte[LINE_BUFFER];
        }
        EnvironHead request = head.build();
        out.add(request);
        bodyBytes = 0;
        lastRequest = !request.keepAlive();
        if (head.chunked()) {
            state = State.CHUNK_SIZE;
        } else if (request.contentLength() > 0) {
            remaining = request.contentLength();
            state = State.FIXED_BODY;
        } else {
            requestDone();
        }
        return true;
    }

    private boolean decodeFixedBody(ByteBuf in, List<Object> out) {
        int n = (int) Math.min(in.readableBytes(), remaining);
        remaining -= n;
        ByteBuf data = in.readRetainedSlice(n);
        if (remaining == 0) {
            out.add(new LastBodyChunk(data, 0));
            requestDone();
        } else {
            out.add(new BodyChunk(data, 0));
        }
        return true;
    }

    /** {@code chunk-size [ chunk-ext ] CRLF} (RFC 9112 7.1): hex digits, then extensions we check and ignore. */
    private boolean decodeChunkSize(ByteBuf in) {
        int lf = findLineEnd(in, Http1Constants.MAX_CHUNK_LINE - 2, Line.CHUNK_SIZE);
        if (lf < 0) {
            return false;
        }
        int end = copyLine(in, strictContentEnd(in, lf, "chunk-size line"));
        int i = 0;
        long size = 0;
        for (int d; i < end && (d = Http1Constants.hexValue(line[i])) >= 0; i++) {
            if (i == Http1Constants.MAX_CHUNK_SIZE_DIGITS) {
                throw Http1HeadBuilder.bad("chunk size has more than " + Http1Constants.MAX_CHUNK_SIZE_DIGITS
                        + " hex digits");
            }
            size = size << 4 | d;
        }
        if (i == 0) {
            throw Http1HeadBuilder.bad("chunk-size line without a hex size");
        }
        Http1ChunkedCoding.checkExtensions(line, i, end);
        in.readerIndex(lf + 1);
        if (size == 0) {
            sectionBytes = 0;
            trailerCount = 0;
            state = State.TRAILERS;
            return true;
        }
        bodyBytes += size;
        if (maxBodySize > 0 && bodyBytes > maxBodySize) {
            throw new ProtocolException(Fault.PAYLOAD_TOO_LARGE, "chunked body of at least " + bodyBytes
                    + " bytes exceeds max-body-size " + maxBodySize);
        }
        remaining = size;
        state = State.CHUNK_DATA;
        return true;
    }

    private boolean decodeChunkData(ByteBuf in, List<Object> out) {
        int n = (int) Math.min(in.readableBytes(), remaining);
        remaining -= n;
        out.add(new BodyChunk(in.readRetainedSlice(n), 0));
        if (remaining == 0) {
            state = State.CHUNK_END;
        }
        return true;
    }

    private boolean decodeChunkEnd(ByteBuf in) {
        if (in.readableBytes() < 2) {
            if (in.getByte(in.readerIndex()) != Http1Constants.CR) {
                throw Http1HeadBuilder.bad("chunk data not followed by CRLF");
            }
            return false;
        }
        if (in.getShort(in.readerIndex()) != 0x0d0a) {
            throw Http1HeadBuilder.bad("chunk data not followed by CRLF");
        }
        in.skipBytes(2);
        state = State.CHUNK_SIZE;
        return true;
    }

    /** The trailer section (RFC 9112 7.1.2): checked, bounded like the header section, and discarded. */
    private boolean decodeTrailers(ByteBuf in, List<Object> out) {
        int lf = findLineEnd(in, maxHeaderSize - sectionBytes, Line.TRAILER);
        if (lf < 0) {
            return false;
        }
        int start = in.readerIndex();
        int end = strictContentEnd(in, lf, "trailer line");
        in.readerIndex(lf + 1);
        if (end == start) {
            out.add(LastBodyChunk.EMPTY);
            requestDone();
            return true;
        }
        if (++trailerCount > options.maxHeaders()) {
            throw new ProtocolException(Fault.HEADERS_TOO_LARGE, "more than max-headers " + options.maxHeaders()
                    + " trailer fields");
        }
        sectionBytes += end - start;
        Http1ChunkedCoding.checkTrailerLine(line, 0, copyLine(in, start, end));
        return true;
    }

    /**
     * Index of the LF ending the line at the reader index, or -1 if more bytes are needed. The line may hold at
     * most {@code limit} bytes before its line ending; past that the line's fault is raised as soon as the bytes
     * show it, so no more than limit + 2 bytes of one line are ever buffered.
     */
    private int findLineEnd(ByteBuf in, int limit, Line line) {
        int start = in.readerIndex();
        int window = limit + 2;
        int to = Math.min(in.writerIndex(), start + window);
        int lf = start + scanned < to ? in.indexOf(start + scanned, to, Http1Constants.LF) : -1;
        if (lf >= 0) {
            scanned = 0;
            if (contentEnd(in, lf) - start > limit) {
                throw tooLong(line);
            }
            return lf;
        }
        if (in.writerIndex() - start >= window) {
            throw tooLong(line);
        }
        scanned = in.writerIndex() - start;
        return -1;
    }

    private ProtocolException tooLong(Line line) {
        int limit = switch (line) {
            case REQUEST -> maxRequestLine;
            case HEADER, TRAILER -> maxHeaderSize;
            case CHUNK_SIZE -> Http1Constants.MAX_CHUNK_LINE;
        };
        return new ProtocolException(line.fault, line.detail + " " + limit + " bytes");
    }

    /** A request is complete: the next one may follow, unless this one ends the connection. */
    private void requestDone() {
        state = lastRequest ? State.CLOSING : State.REQUEST_LINE;
    }

    /** Copies the line at the reader index up to {@code end} into {@link #line}; returns its length. */
    private int copyLine(ByteBuf in, int end) {
        return copyLine(in, in.readerIndex(), end);
    }

    private int copyLine(ByteBuf in, int start, int end) {
        int length = end - start;
        if (length > line.length) {
            line = new byte[Math.max(length, line.length * 2)];
        }
        in.getBytes(start, line, 0, length);
        return length;
    }

    /** End of the line's content: before the CR of a CRLF, or at a bare LF. */
    private static int contentEnd(ByteBuf in, int lf) {
        return lf > in.readerIndex() && in.getByte(lf - 1) == Http1Constants.CR ? lf - 1 : lf;
    }

    /** As {@link #contentEnd}, but a bare LF is refused: chunked framing must be exact. */
    private static int strictContentEnd(ByteBuf in, int lf, String what) {
        if (lf == in.readerIndex() || in.getByte(lf - 1) != Http1Constants.CR) {
            throw Http1HeadBuilder.bad(what + " ends in a bare LF");
        }
        return lf - 1;
    }

    private static boolean isLineEnd(byte b) {
        return b == Http1Constants.CR || b == Http1Constants.LF;
    }

    private void reset() {
        scanned = 0;
        sectionBytes = 0;
        trailerCount = 0;
        remaining = 0;
        bodyBytes = 0;
    }
}
