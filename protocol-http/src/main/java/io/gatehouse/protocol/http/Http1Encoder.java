package io.gatehouse.protocol.http;

import io.gatehouse.app.Headers;
import io.gatehouse.core.exchange.EnvironHead;
import io.gatehouse.core.exchange.InterimResponse;
import io.gatehouse.core.exchange.LastResponseChunk;
import io.gatehouse.core.exchange.ResponseChunk;
import io.gatehouse.core.exchange.ResponseFile;
import io.gatehouse.core.exchange.ResponseHead;
import io.gatehouse.core.exchange.StatusReasons;
import io.gatehouse.core.protocol.ResponseHeadWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.MessageToMessageEncoder;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Encodes responses as HTTP/1.1: status line and fields in one buffer, then the body as is (known length),
 * chunked (unknown length, HTTP/1.1 client) or until close (unknown length, HTTP/1.0 client). Files pass through as
 * zero-copy regions. HEAD, 204 and 304 responses get no body whatever the app wrote. One per connection: it
 * remembers the framing of the response in progress.
 */
final class Http1Encoder extends MessageToMessageEncoder<Object> {
    private static final ByteBuf CRLF = Unpooled.unreleasableBuffer(
            Unpooled.directBuffer(2).writeBytes(Http1Constants.CRLF)).asReadOnly();
    private static final ByteBuf LAST_CHUNK = Unpooled.unreleasableBuffer(
            Unpooled.directBuffer(5).writeBytes(Http1Constants.LAST_CHUNK)).asReadOnly();

    private boolean chunked;
    private boolean bodyless;
    private boolean closeAfter;

    @Override
    public boolean acceptOutboundMessage(Object msg) {
        return msg instanceof ResponseHead || msg instanceof ResponseChunk || msg instanceof ResponseFile
                || msg instanceof LastResponseChunk || msg instanceof InterimResponse;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        boolean close = msg instanceof LastResponseChunk && closeAfter;
        super.write(ctx, msg, promise);
        if (close) {
            promise.addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Object msg, List<Object> out) {
        if (msg instanceof ResponseHead head) {
            out.add(encodeHead(ctx, head));
        } else if (msg instanceof ResponseChunk chunk) {
            encodeBody(ctx, chunk.content().retain(), chunk.content().readableBytes(), out);
        } else if (msg instanceof ResponseFile file) {
            encodeBody(ctx, file.retain(), file.count(), out);
        } else if (msg instanceof LastResponseChunk) {
            out.add(chunked && !bodyless ? LAST_CHUNK.duplicate() : Unpooled.EMPTY_BUFFER);
        } else if (msg instanceof InterimResponse interim) {
            out.add(Unpooled.wrappedBuffer(("HTTP/1.1 " + interim.status() + " "
                    + StatusReasons.of(interim.status()) + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII)));
        }
    }

    private ByteBuf encodeHead(ChannelHandlerContext ctx, ResponseHead head) {
        EnvironHead request = head.request();
        boolean http11 = !Http1Constants.HTTP_1_0.equals(request.environ().get("SERVER_PROTOCOL"));
        bodyless = head.bodyless();
        long length = head.contentLength();
        boolean lengthKnown = length >= 0;
        chunked = !bodyless && !lengthKnown && http11;
        closeAfter = head.close() || (!bodyless && !lengthKnown && !http11);
        Headers headers = head.headers();
        ByteBuf buf = ctx.alloc().buffer(256);
        ResponseHeadWriter.statusLine(buf, Http1Constants.HTTP_1_1, head);
        ResponseHeadWriter.fields(buf, headers, ResponseHeadWriter.HOP_BY_HOP);
        if (headers.get("Date") == null) {
            ResponseHeadWriter.field(buf, "Date", Http1Date.now());
        }
        if (lengthKnown && (!bodyless || request.isHead()) && headers.get("Content-Length") == null
                && head.status() != 204 && head.status() != 304) {
            ResponseHeadWriter.field(buf, "Content-Length", Long.toString(length));
        }
        if (chunked) {
            ResponseHeadWriter.field(buf, "Transfer-Encoding", "chunked");
        }
        if (closeAfter) {
            ResponseHeadWriter.field(buf, "Connection", "close");
        } else if (!http11) {
            ResponseHeadWriter.field(buf, "Connection", "keep-alive");
        }
        buf.writeShort(0x0d0a);
        return buf;
    }

    private void encodeBody(ChannelHandlerContext ctx, Object data, long size, List<Object> out) {
        if (bodyless || size == 0) {
            ReferenceCountUtil.release(data);
            out.add(Unpooled.EMPTY_BUFFER);
            return;
        }
        if (chunked) {
            ByteBuf line = ctx.alloc().buffer(18);
            ByteBufUtil.writeAscii(line, Long.toHexString(size));
            line.writeShort(0x0d0a);
            out.add(line);
            out.add(data);
            out.add(CRLF.duplicate());
        } else {
            out.add(data);
        }
    }
}
