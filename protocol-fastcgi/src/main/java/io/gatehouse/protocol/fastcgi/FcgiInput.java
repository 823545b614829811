package io.gatehouse.protocol.fastcgi;

import io.gatehouse.app.Environ;
import io.gatehouse.app.EnvironKeys;
import io.gatehouse.protocol.fastcgi.FcgiDecoder.Content;
import io.gatehouse.protocol.fastcgi.FcgiRequest.Stage;
import io.gatehouse.spi.exchange.EnvironHead;
import io.gatehouse.spi.exchange.Fault;
import io.gatehouse.spi.exchange.LastBodyChunk;
import io.gatehouse.spi.exchange.ProtocolException;
import io.gatehouse.spi.exchange.RequestAbort;
import io.gatehouse.spi.exchange.VarsReport;
import io.gatehouse.spi.protocol.CgiVars;
import io.gatehouse.spi.protocol.GatewayEnviron;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * What the records a web server sends mean for the requests of one connection (sections 4 and 5): management
 * queries answered at once, requests begun, their PARAMS gathered into an {@link EnvironHead}, their STDIN passed
 * on as body, aborts. A request that breaks a limit but can still be answered becomes a failed head (431, 413,
 * 400); a request of another role or beyond max-requests-in-flight is refused with FCGI_END_REQUEST; records that
 * break the protocol (streams out of order, a reused or unknown request id, lengths that do not add up) throw.
 */
final class FcgiInput {
    private final FcgiOptions options;
    private final int maxConnections;
    private final FcgiRequests requests;
    private final int maxParamsSize;
    private final long maxBodySize;
    private FcgiRecordType type;
    private int typeCode;
    private int requestId;
    private int contentLength;
    private FcgiRequest current;

    FcgiInput(FcgiOptions options, int maxConnections, FcgiRequests requests) {
        this.options = options;
        this.maxConnections = maxConnections;
        this.requests = requests;
        this.maxParamsSize = (int) options.maxParamsSize().bytes();
        this.maxBodySize = options.maxBodySize().bytes();
    }

    /** A record header arrived: checks it against the request's state and says what to do with its content. */
    Content header(ChannelHandlerContext ctx, int typeCode, int requestId, int contentLength, List<Object> out) {
        this.typeCode = typeCode;
        this.type = FcgiRecordType.valueOf((byte) typeCode);
        this.requestId = requestId;
        this.contentLength = contentLength;
        this.current = null;
        if (requestId == FcgiConstants.NULL_REQUEST_ID) {
            return onManagement(ctx);
        }
        if (type == null) {
            throw malformed("record type " + typeCode + " for request " + requestId);
        }
        return switch (type) {
            case BEGIN_REQUEST -> {
                if (contentLength != FcgiConstants.BEGIN_REQUEST_BODY_LENGTH) {
                    throw malformed("BEGIN_REQUEST of " + contentLength + " content bytes (expected 8)");
                }
                yield Content.BUFFER;
            }
            case ABORT_REQUEST -> onAbort(ctx, out);
            case PARAMS -> onParams(ctx, out);
            case STDIN -> onStdin(out);
            case DATA -> onData();
            default -> throw malformed(type + " record sent to the application for request " + requestId);
        };
    }

    /** The request whose STDIN content is being streamed. */
    FcgiRequest streaming() {
        return current;
    }

    /** The whole content of a record whose header asked for {@link Content#BUFFER}. */
    void content(ChannelHandlerContext ctx, ByteBuf content, List<Object> out) {
        if (requestId == FcgiConstants.NULL_REQUEST_ID) {
            ctx.writeAndFlush(FcgiRecords.getValuesResult(ctx.alloc(), content, options, maxConnections), ctx.voidPromise());
        } else if (type == FcgiRecordType.BEGIN_REQUEST) {
            onBegin(ctx, content);
        } else {
            ByteBuf params = current.params();
            if (params == null) {
                params = ctx.alloc().buffer(content.readableBytes());
                current.params(params);
            }
            params.writeBytes(content);
        }
    }

    /**
     * Section 4: GET_VALUES is answered once its content is in, which is held no larger than PARAMS may be (a web
     * server asks for three names); any other type gets FCGI_UNKNOWN_TYPE (4.2).
     */
    private Content onManagement(ChannelHandlerContext ctx) {
        if (type == FcgiRecordType.GET_VALUES) {
            if (contentLength > maxParamsSize) {
                throw new ProtocolException(Fault.HEADERS_TOO_LARGE, "GET_VALUES of " + contentLength
                        + " bytes, over max-params-size " + maxParamsSize);
            }
            return Content.BUFFER;
        }
        ctx.writeAndFlush(FcgiRecords.unknownType(ctx.alloc(), typeCode), ctx.voidPromise());
        return Content.SKIP;
    }

    /** Section 5.1: a new request, unless its role is not RESPONDER or the connection has enough in flight. */
    private void onBegin(ChannelHandlerContext ctx, ByteBuf content) {
        FcgiRequest existing = requests.get(requestId);
        if (existing != null && !existing.ended()) {
            throw malformed("BEGIN_REQUEST for request " + requestId + ", which is still active");
        }
        int role = content.getUnsignedShort(0);
        boolean keepConn = (content.getUnsignedByte(2) & FcgiConstants.FLAG_KEEP_CONN) != 0;
        int refusal = -1;
        if (requests.lingering()) {
            FcgiRequest late = requests.begin(requestId, keepConn, role);
            requests.end(late); // the connection is closing: its input is read only to be dropped
            return;
        }
        if (role != FcgiConstants.ROLE_RESPONDER) {
            refusal = FcgiConstants.UNKNOWN_ROLE;
        } else if (requests.active() >= options.maxRequestsInFlight()) {
            refusal = options.maxRequestsInFlight() == 1 ? FcgiConstants.CANT_MPX_CONN : FcgiConstants.OVERLOADED;
        }
        FcgiRequest r = requests.begin(requestId, keepConn, role);
        if (refusal >= 0) {
            requests.end(r); // its PARAMS and STDIN, if the web server still sends them, are skipped
            endRequest(ctx, r, FcgiConstants.APP_STATUS_OK, refusal);
        }
    }

    /** Section 5.4: the web server gives up a request; it ends here, and its exchange as if the client had left. */
    private Content onAbort(ChannelHandlerContext ctx, List<Object> out) {
        FcgiRequest r = requests.get(requestId);
        if (r == null || r.ended()) {
            return Content.SKIP; // the abort crossed our FCGI_END_REQUEST: nothing left to stop
        }
        r.abort();
        requests.end(r);
        if (r.stage() != Stage.PARAMS) {
            out.add(new RequestAbort(requestId));
        }
        endRequest(ctx, r, FcgiConstants.APP_STATUS_ABORTED, FcgiConstants.REQUEST_COMPLETE);
        return Content.SKIP;
    }

    private Content onParams(ChannelHandlerContext ctx, List<Object> out) {
        FcgiRequest r = known("PARAMS");
        if (r.stage() != Stage.PARAMS) {
            throw malformed("PARAMS record for request " + requestId + " after its PARAMS ended");
        }
        if (contentLength == 0) {
            r.stage(Stage.STDIN);
            if (!r.discarding()) {
                emitHead(ctx, r, out);
            }
            return Content.SKIP;
        }
        if (r.discarding()) {
            return Content.SKIP;
        }
        int size = r.paramsSize() + contentLength;
        if (size > maxParamsSize) {
            fail(ctx, r, new Environ(), new ProtocolException(Fault.HEADERS_TOO_LARGE, "PARAMS of request "
                    + requestId + " reach " + size + " bytes, over max-params-size " + maxParamsSize), out);
            return Content.SKIP;
        }
        current = r;
        return Content.BUFFER;
    }

    private Content onStdin(List<Object> out) {
        FcgiRequest r = known("STDIN");
        if (r.stage() == Stage.PARAMS) {
            throw malformed("STDIN record for request " + requestId + " before its PARAMS ended");
        }
        if (r.stage() == Stage.DONE) {
            throw malformed("STDIN record for request " + requestId + " after its STDIN ended");
        }
        if (contentLength == 0) {
            if (!r.discarding()) {
                if (r.declaredLength() > r.received()) {
                    throw malformed("STDIN of request " + requestId + " ended after " + r.received()
                            + " of CONTENT_LENGTH " + r.declaredLength() + " bytes");
                }
                if (r.declaredLength() != 0) {
                    out.add(LastBodyChunk.empty(requestId));
                }
            }
            requests.stdinDone(r);
            return Content.SKIP;
        }
        if (r.discarding()) {
            return Content.SKIP;
        }
        long total = r.received() + contentLength;
        if (r.declaredLength() >= 0 && total > r.declaredLength()) {
            throw malformed("STDIN of request " + requestId + " runs past CONTENT_LENGTH " + r.declaredLength());
        }
        if (maxBodySize > 0 && total > maxBodySize) {
            throw new ProtocolException(Fault.PAYLOAD_TOO_LARGE, "STDIN of request " + requestId + " reaches "
                    + total + " bytes, over max-body-size " + maxBodySize);
        }
        r.receive(contentLength);
        current = r;
        return Content.STREAM;
    }

    /** DATA belongs to the FILTER role, which is refused: only a refused request's DATA is expected (and skipped). */
    private Content onData() {
        FcgiRequest r = known("DATA");
        if (!r.discarding()) {
            throw malformed("DATA record for RESPONDER request " + requestId);
        }
        if (contentLength == 0) {
            requests.dataDone(r);
        }
        return Content.SKIP;
    }

    private FcgiRequest known(String what) {
        FcgiRequest r = requests.get(requestId);
        if (r == null) {
            throw malformed(what + " record for request " + requestId + ", which is not active");
        }
        return r;
    }

    private void emitHead(ChannelHandlerContext ctx, FcgiRequest r, List<Object> out) {
        Environ env = new Environ();
        try {
            if (r.params() != null) {
                FcgiParams.decode(r.params(), env, options.maxParams());
            }
        } catch (ProtocolException e) {
            if (e.fault() != Fault.HEADERS_TOO_LARGE) {
                throw e;
            }
            fail(ctx, r, env, e, out);
            return;
        } finally {
            r.releaseParams();
        }
        long length;
        VarsReport report;
        try {
            report = complete(ctx, env);
            length = contentLength(env.get(EnvironKeys.CONTENT_LENGTH));
            if (maxBodySize > 0 && length > maxBodySize) {
                throw new ProtocolException(Fault.PAYLOAD_TOO_LARGE, "CONTENT_LENGTH " + length
                        + " is over max-body-size " + maxBodySize);
            }
        } catch (ProtocolException e) {
            fail(ctx, r, env, e, out);
            return;
        }
        r.declaredLength(length);
        out.add(new EnvironHead(env, r.id(), length, r.keepConn()).varsReport(report));
    }

    /** A request that can still be answered: the core answers the failed head; its remaining input is skipped. */
    private void fail(ChannelHandlerContext ctx, FcgiRequest r, Environ env, ProtocolException e, List<Object> out) {
        r.discard();
        out.add(EnvironHead.failed(env, r.id(), e));
    }

    private static void endRequest(ChannelHandlerContext ctx, FcgiRequest r, int appStatus, int protocolStatus) {
        ChannelFuture written = ctx.writeAndFlush(FcgiRecords.endRequest(ctx.alloc(), r.id(), appStatus,
                protocolStatus));
        if (!r.keepConn()) {
            written.addListener(ChannelFutureListener.CLOSE); // 5.1: without FCGI_KEEP_CONN, close after the end
        }
    }

    /**
     * The web server's params completed as every front-server protocol completes them ({@link GatewayEnviron}),
     * after the defaults FastCGI clients may leave out: the peer is the client when REMOTE_ADDR is missing.
     */
    private VarsReport complete(ChannelHandlerContext ctx, Environ env) {
        if (!env.contains(EnvironKeys.REMOTE_ADDR)) {
            env.put(EnvironKeys.REMOTE_ADDR, ctx.channel().remoteAddress() instanceof InetSocketAddress a
                    && a.getAddress() != null ? a.getAddress().getHostAddress() : "");
        }
        env.putIfAbsent(EnvironKeys.GATEWAY_INTERFACE, "CGI/1.1");
        return GatewayEnviron.complete(env, ctx.channel().localAddress());
    }

    /** CONTENT_LENGTH as given; absent or empty means unknown: the body ends with an empty STDIN record. */
    private static long contentLength(String value) {
        return value == null || value.isEmpty() ? EnvironHead.UNKNOWN_LENGTH : CgiVars.contentLength(value);
    }

    /** Frees what the connection's requests hold (the connection is gone). */
    void release() {
        requests.releaseAll();
    }

    private static ProtocolException malformed(String detail) {
        return new ProtocolException(Fault.BAD_REQUEST, detail);
    }
}
