package io.gatehouse.protocol.http;

import io.gatehouse.spi.exchange.BodyChunk;
import io.gatehouse.spi.exchange.EnvironHead;
import io.gatehouse.spi.exchange.Fault;
import io.gatehouse.spi.exchange.LastBodyChunk;
import io.gatehouse.spi.exchange.ProtocolException;
import io.gatehouse.spi.protocol.ConnectionPeer;
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

    private final Http1Options options;
    private final int maxRequestLine;
    private final int maxHeaderSize;
    private final long maxBodySize;
    private Http1HeadBuilder head;
    private State state = State.REQUEST_LINE;
    private final Http1Lines lines;
    /** Length of the field lines of the current header or trailer section, line endings not counted. */
    private int sectionBytes;
    private int trailerCount;
    private long remaining;
    private long bodyBytes;
    /** The request being read is the connection's last (Connection: close, or HTTP/1.0 without keep-alive). */
    private boolean lastRequest;

    private final HttpTlsEnviron tls;

    Http1Decoder(Http1Options options) {
        this(options, null);
    }

    /** A decoder for a connection whose TLS variables are {@code tls} (null for cleartext). */
    Http1Decoder(Http1Options options, HttpTlsEnviron tls) {
        this.options = options;
        this.tls = tls;
        this.maxRequestLine = (int) options.maxRequestLine().bytes();
        this.maxHeaderSize = (int) options.maxHeaderSize().bytes();
        this.maxBodySize = options.maxBodySize().bytes();
        this.lines = new Http1Lines(options);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (head == null) {
            // built at the first byte, not when added: a PROXY protocol header read before it names the peer
            head = new Http1HeadBuilder(options, new Http1Connection(ConnectionPeer.remoteAddress(ctx.channel()),
                    ctx.channel().localAddress(), tls));
        }
        try {
            while (in.isReadable() && step(in, out)) {
                // each step consumed something; go on while bytes remain
            }
        } catch (ProtocolException e) {
            boolean inHead = state == State.REQUEST_LINE || state == State.HEADERS;
            reset();
            state = State.BAD_MESSAGE;
            if (!inHead) {
                in.skipBytes(in.readableBytes());
                throw e;
            }
            refuse(e, in, out);
        }
    }

    /**
     * Emits a failed head. If its body's framing is sound, the body still passes as chunks for the core to read and
     * drop before it closes (so the client sees the answer, not a reset); otherwise all input is skipped.
     */
    private void refuse(ProtocolException e, ByteBuf in, List<Object> out) {
        long drain = head.drain();
        out.add(EnvironHead.failed(head.partial(), 0, e, drain));
        lastRequest = true;
        if (drain > 0) {
            remaining = drain;
            state = State.FIXED_BODY;
        } else if (drain == EnvironHead.UNKNOWN_LENGTH) {
            state = State.CHUNK_SIZE;
        } else {
            in.skipBytes(in.readableBytes());
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
        while (!lines.partial() && in.isReadable() && isLineEnd(in.getByte(in.readerIndex()))) {
            in.skipBytes(1);
        }
        if (!in.isReadable()) {
            return false;
        }
        int lf = lines.find(in, maxRequestLine, Http1Lines.Kind.REQUEST);
        if (lf < 0) {
            return false;
        }
        int length = lines.copy(in, in.readerIndex(), Http1Lines.end(in, lf)); // first: it may grow the copy
        head.requestLine(lines.bytes(), length);
        in.readerIndex(lf + 1);
        sectionBytes = 0;
        state = State.HEADERS;
        return true;
    }

    private boolean decodeHeaders(ByteBuf in, List<Object> out) {
        int lf = lines.find(in, maxHeaderSize - sectionBytes, Http1Lines.Kind.HEADER);
        if (lf < 0) {
            return false;
        }
        int start = in.readerIndex();
        int end = Http1Lines.end(in, lf);
        in.readerIndex(lf + 1);
        if (end > start) {
            sectionBytes += end - start;
            int length = lines.copy(in, start, end);
            head.header(lines.bytes(), length);
            return true;
        }
        lines.shrink();
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
        int lf = lines.find(in, Http1Constants.MAX_CHUNK_LINE - 2, Http1Lines.Kind.CHUNK_SIZE);
        if (lf < 0) {
            return false;
        }
        int end = lines.copy(in, in.readerIndex(), Http1Lines.strictEnd(in, lf, "chunk-size line"));
        long size = Http1Framing.chunkSize(lines.bytes(), end);
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
        int lf = lines.find(in, maxHeaderSize - sectionBytes, Http1Lines.Kind.TRAILER);
        if (lf < 0) {
            return false;
        }
        int start = in.readerIndex();
        int end = Http1Lines.strictEnd(in, lf, "trailer line");
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
        int length = lines.copy(in, start, end);
        Http1Framing.checkTrailerLine(lines.bytes(), length);
        return true;
    }

    /** A request is complete: the next one may follow, unless this one ends the connection. */
    private void requestDone() {
        lines.shrink(); // a chunked body's size lines took the buffer again: an idle connection holds none
        state = lastRequest ? State.CLOSING : State.REQUEST_LINE;
    }

    private static boolean isLineEnd(byte b) {
        return b == Http1Constants.CR || b == Http1Constants.LF;
    }

    private void reset() {
        lines.reset();
        sectionBytes = 0;
        trailerCount = 0;
        remaining = 0;
        bodyBytes = 0;
    }
}
