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
 * Decodes HTTP/1.1 requests (RFC 9112) into an {@link EnvironHead} and body chunks, sliced from the input without
 * copying. Limits are checked before bytes are buffered: a request line over max-request-line is 414, a header
 * block over max-header-size 431, a body over max-body-size 413. A bad head becomes a failed head (answered by
 * the core in HTTP form, then the connection closes); an error in a body already being streamed closes the
 * connection.
 */
final class Http1Decoder extends ByteToMessageDecoder {
    private enum State { REQUEST_LINE, HEADERS, FIXED_BODY, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILERS, BAD_MESSAGE }

    private final Http1Options options;
    private final int maxRequestLine;
    private final int maxHeaderSize;
    private final long maxBodySize;
    private Http1HeadBuilder head;
    private State state = State.REQUEST_LINE;
    private int scanned;
    private int headerBytes;
    private long remaining;
    private long bodyBytes;

    Http1Decoder(Http1Options options) {
        this.options = options;
        this.maxRequestLine = (int) options.maxRequestLine().bytes();
        this.maxHeaderSize = (int) options.maxHeaderSize().bytes();
        this.maxBodySize = options.maxBodySize().bytes();
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (head == null) {
            head = new Http1HeadBuilder(options, new Http1Connection(ctx.channel().remoteAddress(),
                    ctx.channel().localAddress()));
        }
        try {
            while (in.isReadable() && step(in, out)) {
                // each step consumed something; go on while bytes remain
            }
        } catch (ProtocolException e) {
            if (state == State.REQUEST_LINE || state == State.HEADERS) {
                out.add(EnvironHead.failed(head.partial(), 0, e));
                state = State.BAD_MESSAGE;
                in.skipBytes(in.readableBytes());
            } else {
                state = State.BAD_MESSAGE;
                in.skipBytes(in.readableBytes());
                throw e;
            }
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
            case BAD_MESSAGE -> {
                in.skipBytes(in.readableBytes());
                yield false;
            }
        };
    }

    private boolean decodeRequestLine(ByteBuf in) {
        // RFC 9112 2.2: ignore empty lines before the request line
        while (in.isReadable() && (in.getByte(in.readerIndex()) == Http1Constants.CR
                || in.getByte(in.readerIndex()) == Http1Constants.LF)) {
            in.skipBytes(1);
        }
        int lf = findLineEnd(in, maxRequestLine, Fault.URI_TOO_LONG, "request line exceeds max-request-line "
                + maxRequestLine + " bytes");
        if (lf < 0) {
            return false;
        }
        head.requestLine(in, in.readerIndex(), trimCr(in, lf));
        in.readerIndex(lf + 1);
        headerBytes = 0;
        state = State.HEADERS;
        return true;
    }

    private boolean decodeHeaders(ByteBuf in, List<Object> out) {
        int lf = findLineEnd(in, maxHeaderSize - headerBytes, Fault.HEADERS_TOO_LARGE,
                "header block exceeds max-header-size " + maxHeaderSize + " bytes");
        if (lf < 0) {
            return false;
        }
        int start = in.readerIndex();
        int end = trimCr(in, lf);
        headerBytes += lf + 1 - start;
        in.readerIndex(lf + 1);
        if (end > start) {
            head.header(in, start, end);
            return true;
        }
        EnvironHead request = head.build();
        out.add(request);
        bodyBytes = 0;
        if (head.chunked()) {
            state = State.CHUNK_SIZE;
        } else if (request.contentLength() > 0) {
            remaining = request.contentLength();
            state = State.FIXED_BODY;
        } else {
            state = State.REQUEST_LINE;
        }
        return true;
    }

    private boolean decodeFixedBody(ByteBuf in, List<Object> out) {
        int n = (int) Math.min(in.readableBytes(), remaining);
        remaining -= n;
        ByteBuf data = in.readRetainedSlice(n);
        if (remaining == 0) {
            out.add(new LastBodyChunk(data, 0));
            state = State.REQUEST_LINE;
        } else {
            out.add(new BodyChunk(data, 0));
        }
        return true;
    }

    private boolean decodeChunkSize(ByteBuf in) {
        int lf = findLineEnd(in, Http1Constants.MAX_CHUNK_LINE, Fault.BAD_REQUEST, "chunk-size line too long");
        if (lf < 0) {
            return false;
        }
        long size = 0;
        int digits = 0;
        int i = in.readerIndex();
        for (int end = trimCr(in, lf); i < end; i++) {
            int d = Character.digit((char) in.getByte(i), 16);
            if (d < 0) {
                break;
            }
            if (++digits > 15) {
                throw Http1HeadBuilder.bad("chunk size too large");
            }
            size = size << 4 | d;
        }
        byte next = in.getByte(i);
        if (digits == 0 || (next != ';' && next != Http1Constants.CR && next != Http1Constants.LF
                && next != Http1Constants.SP && next != Http1Constants.HTAB)) {
            throw Http1HeadBuilder.bad("invalid chunk size");
        }
        in.readerIndex(lf + 1);
        if (size == 0) {
            headerBytes = 0;
            state = State.TRAILERS;
            return true;
        }
        bodyBytes += size;
        if (maxBodySize > 0 && bodyBytes > maxBodySize) {
            throw new ProtocolException(Fault.PAYLOAD_TOO_LARGE, "chunked body exceeds max-body-size " + maxBodySize);
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
        byte b = in.getByte(in.readerIndex());
        if (b == Http1Constants.LF) {
            in.skipBytes(1);
        } else if (b == Http1Constants.CR) {
            if (in.readableBytes() < 2) {
                return false;
            }
            if (in.getByte(in.readerIndex() + 1) != Http1Constants.LF) {
                throw Http1HeadBuilder.bad("chunk data not followed by CRLF");
            }
            in.skipBytes(2);
        } else {
            throw Http1HeadBuilder.bad("chunk data not followed by CRLF");
        }
        state = State.CHUNK_SIZE;
        return true;
    }

    private boolean decodeTrailers(ByteBuf in, List<Object> out) {
        int lf = findLineEnd(in, maxHeaderSize - headerBytes, Fault.HEADERS_TOO_LARGE,
                "trailer section exceeds max-header-size " + maxHeaderSize + " bytes");
        if (lf < 0) {
            return false;
        }
        boolean empty = trimCr(in, lf) == in.readerIndex();
        headerBytes += lf + 1 - in.readerIndex();
        in.readerIndex(lf + 1);
        if (empty) {
            out.add(LastBodyChunk.EMPTY);
            state = State.REQUEST_LINE;
        }
        return true;
    }

    /**
     * Index of the LF ending the line at the reader index, or -1 if more bytes are needed. Scans each byte once
     * across calls, and fails as soon as the line would exceed {@code limit} bytes.
     */
    private int findLineEnd(ByteBuf in, int limit, Fault fault, String detail) {
        int start = in.readerIndex();
        int from = start + scanned;
        int to = Math.min(in.writerIndex(), start + limit);
        int lf = from < to ? in.indexOf(from, to, Http1Constants.LF) : -1;
        if (lf >= 0) {
            scanned = 0;
            return lf;
        }
        if (in.writerIndex() - start >= limit) {
            throw new ProtocolException(fault, detail);
        }
        scanned = in.writerIndex() - start;
        return -1;
    }

    private static int trimCr(ByteBuf in, int lf) {
        return lf > in.readerIndex() && in.getByte(lf - 1) == Http1Constants.CR ? lf - 1 : lf;
    }
}
