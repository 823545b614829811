package io.gatehouse.runtime.python;

import io.gatehouse.app.EnvironKeys;
import io.gatehouse.spi.exchange.Exchange;
import io.gatehouse.spi.exchange.Response;
import io.gatehouse.spi.exchange.WebSocket;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.logging.Logger;

/**
 * One exchange on a lane. Out: the environ (REQUEST), then the body through {@link PythonBody}. In: START, DATA and
 * FILE go to the {@link Response} as they come, with reading from the worker paused while the client cannot take
 * more (so a slow client holds one socket buffer of response, not the whole of it); END or ABORT frees the lane.
 * An ASGI app's DATA_LAST completes the response before its END (the app may go on working). A response the client
 * no longer wants (or a client that left) is answered with CANCEL, and the worker's remaining output dropped.
 * Runs on the lane's loop.
 */
final class PythonCall {
    private static final Logger LOG = Logger.getLogger(PythonCall.class.getName());

    /**
     * Where the exchange stands with the worker, in order: held on its lane (UNSENT), REQUEST written (SENT), START
     * passed on to the client (STARTED), the response complete while the app still runs (COMPLETE: DATA_LAST came),
     * no longer wanted by the client (CANCELLED: CANCEL sent, the worker's output dropped until END or ABORT), over
     * (ENDED: END or ABORT came, or it was answered without the worker).
     */
    private enum Progress { UNSENT, SENT, STARTED, COMPLETE, CANCELLED, ENDED }

    private final PythonLane lane;
    private final Exchange exchange;
    private final Response response;
    private final Channel channel;
    private final PythonBody body;
    /** The WebSocket bridge of a handshake, or null for an ordinary request. */
    private final PythonWebSocket socket;
    private Progress progress = Progress.UNSENT;
    /** This request's ordinal on its lane, once its REQUEST is written; 0 before. */
    private int seq;
    private boolean settled;
    /** START came (whether passed on or, the client gone, dropped). */
    private boolean headSeen;
    private int status;
    private long declared = -1;
    private long sent;
    /** Bytes the app sent past its Content-Length, dropped. */
    private long dropped;
    /** Response bytes passed on since the last flush. */
    private boolean unflushed;
    /** Reading from the worker stopped until the client drains (the lane's autoRead off for this exchange). */
    private boolean paused;

    PythonCall(PythonLane lane, Exchange exchange) {
        this.lane = lane;
        this.exchange = exchange;
        this.response = exchange.response();
        this.channel = lane.channel();
        this.body = new PythonBody(channel, exchange.body());
        this.socket = exchange.websocket() != null ? new PythonWebSocket(exchange, channel) : null;
    }

    Exchange exchange() {
        return exchange;
    }

    /**
     * Writes the REQUEST, the request's ordinal on its lane being {@code seq}; false if the exchange was answered
     * here instead (the client left, or the environ is over the protocol's limit) and is over.
     */
    boolean send(int seq) {
        if (socket != null && lane.kind() != PythonLane.Kind.LOOP) {
            WebSocket.refuse(response, "app '" + exchange.appName() + "' is a WSGI app: it does not accept "
                    + "WebSocket connections");
            body.finish();
            progress = Progress.ENDED;
            return false;
        }
        ByteBuf request = exchange.clientGone() ? null : WsgiFrames.request(channel.alloc(), exchange.environ(),
                socket != null ? WsgiFrames.BODY_WEBSOCKET : body.mode());
        if (request == null) {
            if (!exchange.clientGone()) {
                LOG.warning(where() + ": the environ is over the worker protocol's " + WsgiFrames.MAX_PAYLOAD
                        + " byte limit; answering 431");
                response.error(431, null);
            }
            body.finish();
            progress = Progress.ENDED;
            return false;
        }
        this.seq = seq;
        this.settled = bodySettled();
        progress = Progress.SENT;
        body.send(request);
        exchange.whenClientGone(() -> channel.eventLoop().execute(this::clientLeft));
        return true;
    }

    /** True once the REQUEST is written. */
    boolean sent() {
        return seq > 0;
    }

    /** True if the REQUEST was written with the whole body behind it: nothing of this request can follow later. */
    boolean settled() {
        return settled;
    }

    /** True unless the request has no body at all. */
    boolean hasBody() {
        return body.mode() != WsgiFrames.BODY_NONE;
    }

    /** True if the body is none, or small and wholly here, so that all of it goes out with the REQUEST. */
    private boolean bodySettled() {
        int mode = body.mode();
        return mode == WsgiFrames.BODY_NONE || (mode == WsgiFrames.BODY_INLINE && exchange.body().complete());
    }

    /** A frame from the worker while this exchange runs; the caller releases it. */
    void onFrame(WsgiFrame frame) throws WsgiProtocolException {
        switch (frame.type()) {
            case START -> onStart(WsgiFrames.start(frame.content()));
            case DATA -> onChunk(frame.content());
            case DATA_LAST -> onLast(frame.content());
            case FILE -> onFile(WsgiFrames.file(frame.content()));
            case END -> onEnd();
            case ABORT -> onAbort(WsgiFrames.text(frame.content()));
            case MORE -> {
                if (socket != null) {
                    socket.more(WsgiFrames.more(frame.content()));
                } else {
                    body.more(WsgiFrames.more(frame.content()));
                }
            }
            case WS_ACCEPT, WS_SEND, WS_CLOSE -> onSocketFrame(frame);
            default -> throw new WsgiProtocolException(frame.type() + " during a request");
        }
    }

    private void onSocketFrame(WsgiFrame frame) throws WsgiProtocolException {
        if (socket == null) {
            throw new WsgiProtocolException(frame.type() + " outside a WebSocket");
        }
        if (progress == Progress.SENT) {
            progress = Progress.STARTED; // the app answered the handshake
        }
        socket.onFrame(frame);
    }

    private void onStart(WsgiFrames.Start start) throws WsgiProtocolException {
        if (headSeen) {
            throw new WsgiProtocolException("a second START in one response");
        }
        headSeen = true;
        if (progress == Progress.CANCELLED) {
            return; // the client left before the head came
        }
        progress = Progress.STARTED;
        status = start.status();
        String length = start.headers().get("Content-Length");
        try {
            declared = length != null ? parseLength(length) : start.length();
            if (!response.head(status, start.reason(), start.headers(), declared)) {
                cancel();
            }
        } catch (IllegalArgumentException e) {
            LOG.severe(where() + ": the app's response head is invalid: " + e.getMessage());
            response.error(500, null);
            cancel();
        }
    }

    private void onChunk(ByteBuf content) throws WsgiProtocolException {
        if (!headSeen) {
            throw new WsgiProtocolException("DATA before START");
        }
        if (progress == Progress.CANCELLED) {
            return;
        }
        if (progress == Progress.COMPLETE) {
            throw new WsgiProtocolException("DATA after DATA_LAST");
        }
        int n = content.readableBytes();
        if (declared >= 0 && n > declared - sent) {
            if (dropped == 0) {
                LOG.warning(where() + ": the app sent more than its Content-Length of " + declared
                        + " bytes; the rest is dropped");
            }
            dropped += n - (declared - sent);
            n = (int) (declared - sent);
            if (n == 0) {
                return;
            }
        }
        sent += n;
        if (!response.chunk(content.retainedSlice(content.readerIndex(), n), false)) {
            cancel();
            return;
        }
        unflushed = true;
        pauseIfBackedUp();
    }

    private void onFile(WsgiFrames.FileOffer offer) throws WsgiProtocolException {
        if (!headSeen) {
            throw new WsgiProtocolException("FILE before START");
        }
        long count = declared >= 0 ? Math.min(offer.count(), Math.max(0, declared - sent)) : offer.count();
        if (progress != Progress.CANCELLED && count > 0) {
            FileChannel file = openWorkerFile(offer, count);
            if (file == null) {
                reply(WsgiFrameType.FILE_REFUSED);
                return;
            }
            sent += count;
            if (!response.file(file, offer.offset(), count)) {
                cancel();
            }
            unflushed = true;
        }
        reply(WsgiFrameType.FILE_SENT);
        pauseIfBackedUp();
    }

    /**
     * The worker's open file, reopened through /proc so the kernel sends it; null when that is not possible, and
     * when the app runs as another user: the master would reopen it with its own rights, and a descriptor opened
     * with O_PATH needs no right to read, so the app could have the master send a file its user cannot read.
     */
    private FileChannel openWorkerFile(WsgiFrames.FileOffer offer, long count) {
        if (lane.worker().runsAsAnotherUser()) {
            return null;
        }
        Path path = Path.of("/proc", Long.toString(lane.worker().pid()), "fd", Integer.toString(offer.fd()));
        try {
            FileChannel file = FileChannel.open(path, StandardOpenOption.READ);
            if (file.size() >= offer.offset() + count) {
                return file;
            }
            file.close();
        } catch (IOException | SecurityException e) {
            LOG.fine(() -> where() + ": cannot open " + path + " (" + e + "); the worker sends the bytes");
        }
        return null;
    }

    /** DATA_LAST: the last bytes; the response is complete for the client, the lane busy until END. */
    private void onLast(ByteBuf content) throws WsgiProtocolException {
        onChunk(content);
        if (progress == Progress.CANCELLED) {
            return;
        }
        resume();
        Progress was = progress;
        progress = Progress.COMPLETE;
        completeResponse(was);
    }

    private void onEnd() {
        if (socket != null) {
            end();
            socket.ended();
            lane.ended(this);
            return;
        }
        Progress was = end();
        if (was != Progress.COMPLETE) {
            completeResponse(was);
        }
        lane.ended(this);
    }

    /** The app's response is over: it ends for the client (cut short if it fell short of its length). */
    private void completeResponse(Progress was) {
        unflushed = false; // ending flushes
        if (was != Progress.CANCELLED && !response.done()) {
            if (declared >= 0 && sent < declared && bodyExpected()) {
                LOG.warning(where() + ": the app sent " + sent + " of the " + declared + " bytes its Content-Length "
                        + "announced; cutting the response short");
                response.abort();
            } else if (was == Progress.SENT) {
                LOG.severe(where() + ": the worker ended a response it never started");
                response.error(500, null);
            } else {
                response.end();
            }
        }
    }

    private void onAbort(String trace) {
        if (end() != Progress.CANCELLED && !exchange.clientGone() && !response.done()) {
            LOG.severe(where() + " failed:\n" + trace.stripTrailing());
        }
        response.error(500, null);
        lane.ended(this);
    }

    /** END or ABORT: the body is over, reading resumes; returns where the exchange stood before. */
    private Progress end() {
        body.finish();
        resume();
        if (socket != null) {
            socket.resume();
        }
        Progress was = progress;
        progress = Progress.ENDED;
        return was;
    }

    void flushPending() {
        if (unflushed) {
            unflushed = false;
            response.flush();
        }
    }

    /** The client cannot take more now: flush, stop reading the worker, and resume when the client drains. */
    private void pauseIfBackedUp() {
        if (paused || response.writable()) {
            return;
        }
        flushPending();
        paused = true;
        channel.config().setAutoRead(false);
        response.whenWritable(() -> channel.eventLoop().execute(this::resume));
    }

    /**
     * Reads from the worker again: the client drained, or this exchange is over (its END may have come in the same
     * read as the data that paused it; the lane's next exchange must not wait for this client).
     */
    private void resume() {
        if (paused) {
            paused = false;
            channel.config().setAutoRead(true);
        }
    }

    /** The response is over for the client (gone, or answered by the pool): the worker is told to stop. */
    private void cancel() {
        if (progress != Progress.CANCELLED) {
            progress = Progress.CANCELLED;
            channel.writeAndFlush(WsgiFrames.ordinal(channel.alloc(), WsgiFrameType.CANCEL, seq),
                    channel.voidPromise());
        }
    }

    /** The client went away while the worker runs the request: it is told (an ASGI app sees http.disconnect). */
    private void clientLeft() {
        if (socket != null) {
            socket.clientLeft();
        } else if (progress == Progress.SENT || progress == Progress.STARTED) {
            cancel();
        }
    }

    /** The worker retires past reload-mercy: a WebSocket it runs is closed with 1012 rather than cut. */
    void restart() {
        if (socket != null && progress != Progress.ENDED) {
            socket.restart();
        }
    }

    /** ASGI harakiri: the worker's loop is told to cancel the request's task; false if the request is over. */
    boolean harakiri() {
        if (progress == Progress.UNSENT || progress == Progress.ENDED) {
            return false;
        }
        channel.writeAndFlush(WsgiFrames.ordinal(channel.alloc(), WsgiFrameType.HARAKIRI, seq), channel.voidPromise());
        return true;
    }

    private void reply(WsgiFrameType type) {
        channel.writeAndFlush(WsgiFrames.empty(channel.alloc(), type), channel.voidPromise());
    }

    /** False for responses that carry no body whatever their Content-Length: HEAD, 1xx, 204, 304. */
    private boolean bodyExpected() {
        return status >= 200 && status != 204 && status != 304 && !exchange.head().isHead();
    }

    private static long parseLength(String value) {
        String v = value.trim();
        if (v.isEmpty() || v.length() > 18 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("Content-Length is not a number: '" + value + "'");
        }
        return Long.parseLong(v);
    }

    private String where() {
        return lane.worker().describe() + " on " + exchange.environ().get(EnvironKeys.REQUEST_METHOD) + " "
                + exchange.environ().get(EnvironKeys.REQUEST_URI) + " from " + exchange.peer();
    }
}
