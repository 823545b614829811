package io.gatehouse.protocol.fastcgi;

import io.gatehouse.app.Headers;
import io.gatehouse.spi.exchange.LastResponseChunk;
import io.gatehouse.spi.exchange.ResponseAbort;
import io.gatehouse.spi.exchange.ResponseChunk;
import io.gatehouse.spi.exchange.ResponseFile;
import io.gatehouse.spi.exchange.ResponseHead;
import io.gatehouse.spi.protocol.ResponseHeadWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Encodes responses as the responder's output (section 6.2): the head in CGI form on STDOUT ({@code Status:}, the
 * fields, a blank line), the body as STDOUT records of at most 65535 content bytes (slices, not copies; files are
 * read in 64 KiB records as the socket drains, through the pipeline's chunked writer), then an empty STDOUT and
 * FCGI_END_REQUEST. HEAD, 204 and 304 responses get no body. Output for a request already ended (aborted by the
 * web server, refused) is dropped. Closing while a request's input is still coming lingers (see {@link #close}).
 */
final class FcgiEncoder extends MessageToMessageEncoder<Object> {
    private final FcgiRequests requests;
    private final long lingerMillis;
    private ChannelPromise lingerClose;
    private boolean lingerOver;

    FcgiEncoder(FcgiRequests requests, long lingerMillis) {
        this.requests = requests;
        this.lingerMillis = lingerMillis;
    }

    @Override
    public boolean acceptOutboundMessage(Object msg) {
        return msg instanceof ResponseHead || msg instanceof ResponseChunk || msg instanceof ResponseFile
                || msg instanceof LastResponseChunk;
    }

    /**
     * A response that fails after its head: alone on the connection, the connection is cut, because web servers
     * take FCGI_END_REQUEST as a complete response whatever its appStatus (nginx passes a truncated chunked body on
     * as whole), and a cut connection is the signal they all act on. Beside other requests in flight, only this one
     * ends, with FCGI_END_REQUEST and appStatus 1, so the others carry on.
     */
    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (!(msg instanceof ResponseAbort abort)) {
            super.write(ctx, msg, promise);
            return;
        }
        FcgiRequest r = open(abort.streamId());
        if (r == null) {
            promise.trySuccess();
            return;
        }
        r.abort();
        boolean alone = requests.active() == 1;
        requests.end(r);
        if (alone) {
            promise.trySuccess();
            close(ctx, ctx.newPromise());
        } else {
            ctx.write(FcgiRecords.endRequest(ctx.alloc(), r.id(), FcgiConstants.APP_STATUS_ABORTED,
                    FcgiConstants.REQUEST_COMPLETE), promise);
        }
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Object msg, List<Object> out) {
        if (msg instanceof ResponseHead head) {
            FcgiRequest r = open(head.streamId());
            if (r != null) {
                r.bodyless(head.bodyless());
                encodeHead(ctx, head, out);
            }
        } else if (msg instanceof ResponseChunk chunk) {
            FcgiRequest r = open(chunk.streamId());
            if (r != null && !r.bodyless() && chunk.content().isReadable()) {
                FcgiRecords.frame(ctx.alloc(), FcgiRecordType.STDOUT, r.id(), chunk.content().retain(), out);
            }
        } else if (msg instanceof ResponseFile file) {
            FcgiRequest r = open(file.streamId());
            if (r != null && !r.bodyless() && file.count() > 0) {
                file.retain();
                out.add(new FcgiFileRecords(file, r));
            }
        } else if (msg instanceof LastResponseChunk last) {
            FcgiRequest r = open(last.streamId());
            if (r != null) {
                requests.end(r);
                out.add(FcgiRecords.endStdoutAndRequest(ctx.alloc(), r.id(), FcgiConstants.APP_STATUS_OK));
            }
        }
        if (out.isEmpty()) {
            out.add(Unpooled.EMPTY_BUFFER); // dropped output still completes its write promise
        }
    }

    /**
     * Closes, unless a web server is still sending a request's input: Apache's mod_proxy_fcgi, for one, sends the
     * whole body before it reads the answer, so closing with input unread would reset the connection and lose the
     * answer (a 413 would reach the client as a 503). Then the output is shut (the web server sees the end of the
     * response at once), the rest of the input is read and dropped, and the connection closes when it is all in,
     * or after the listener's lingering-time at most (0: closes at once).
     */
    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) throws Exception {
        if (lingerClose != null) {
            chain(lingerClose, promise);
            return;
        }
        if (lingerMillis <= 0 || !requests.receiving() || !(ctx.channel() instanceof DuplexChannel duplex)
                || !duplex.isActive()) {
            ctx.close(promise);
            return;
        }
        lingerClose = ctx.newPromise();
        chain(lingerClose, promise);
        ctx.flush();
        duplex.shutdownOutput();
        ScheduledFuture<?> deadline = ctx.executor().schedule(() -> finishLingering(ctx), lingerMillis,
                TimeUnit.MILLISECONDS);
        requests.lingerUntilInputDone(() -> {
            deadline.cancel(false);
            finishLingering(ctx);
        });
    }

    private void finishLingering(ChannelHandlerContext ctx) {
        if (!lingerOver) {
            lingerOver = true;
            ctx.close(lingerClose);
        }
    }

    private static void chain(ChannelPromise from, ChannelPromise to) {
        if (!to.isVoid()) {
            from.addListener(f -> {
                if (f.isSuccess()) {
                    to.trySuccess();
                } else {
                    to.tryFailure(f.cause());
                }
            });
        }
    }

    /** The request {@code id} if its response may still be written, else null. */
    private FcgiRequest open(int id) {
        FcgiRequest r = requests.get(id);
        return r == null || r.ended() ? null : r;
    }

    private static void encodeHead(ChannelHandlerContext ctx, ResponseHead head, List<Object> out) {
        Headers headers = head.headers();
        ByteBuf buf = ctx.alloc().buffer(256);
        buf.writeZero(FcgiConstants.HEADER_LENGTH);
        ResponseHeadWriter.cgiStatus(buf, head);
        ResponseHeadWriter.fields(buf, headers, ResponseHeadWriter.HOP_BY_HOP);
        long length = head.contentLength();
        int status = head.status();
        if (length >= 0 && (!head.bodyless() || head.request().isHead()) && status != 204 && status != 304
                && headers.get("Content-Length") == null) {
            ResponseHeadWriter.field(buf, "Content-Length", Long.toString(length));
        }
        buf.writeShort(0x0d0a);
        int content = buf.readableBytes() - FcgiConstants.HEADER_LENGTH;
        if (content <= FcgiConstants.MAX_CONTENT_LENGTH) {
            FcgiRecords.header(buf, 0, FcgiRecordType.STDOUT, head.streamId(), content);
            out.add(buf);
        } else {
            buf.skipBytes(FcgiConstants.HEADER_LENGTH);
            FcgiRecords.frame(ctx.alloc(), FcgiRecordType.STDOUT, head.streamId(), buf, out);
        }
    }
}
