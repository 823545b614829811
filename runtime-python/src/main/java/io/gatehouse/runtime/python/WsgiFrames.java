package io.gatehouse.runtime.python;

import io.gatehouse.app.Environ;
import io.gatehouse.app.Headers;
import io.gatehouse.spi.exchange.WebSocket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;

/**
 * The worker protocol of docs/worker-protocol.md: limits, the frames the master writes and the payloads it reads.
 * Every frame is a 5-byte header (payload length u32, type u8, big-endian) and a payload; the types are
 * {@link WsgiFrameType}.
 */
final class WsgiFrames {
    static final int HEADER_SIZE = 5;
    /** Largest payload either side accepts; workers split response bodies into DATA frames below it. */
    static final int MAX_PAYLOAD = 1 << 20;

    static final int ROLE_FORK_SERVER = 1;
    static final int ROLE_LANE = 2;
    static final int ROLE_BOOT_REPORT = 3;
    /** A lane served by an event loop (ASGI): it reads frames at any time, and takes HARAKIRI. */
    static final int ROLE_LOOP_LANE = 4;

    static final int BODY_NONE = 0;
    static final int BODY_INLINE = 1;
    static final int BODY_ON_REQUEST = 2;
    /** Body mode of a WebSocket handshake (loop lanes only): messages follow the accept, as WS_RECEIVE frames. */
    static final int BODY_WEBSOCKET = 3;
    /** WS_RECEIVE and WS_SEND flags: the piece is text (UTF-8), more pieces of the same message follow. */
    static final int WS_TEXT = 1;
    static final int WS_MORE = 2;

    private WsgiFrames() {
    }

    /** A frame with an empty payload (STOP, PING, FILE_SENT, FILE_REFUSED). */
    static ByteBuf empty(ByteBufAllocator alloc, WsgiFrameType type) {
        return alloc.buffer(HEADER_SIZE).writeInt(0).writeByte(type.code());
    }

    /**
     * A frame naming the request with ordinal {@code seq} on its lane (the first REQUEST sent on a lane is 1): CANCEL,
     * or HARAKIRI.
     */
    static ByteBuf ordinal(ByteBufAllocator alloc, WsgiFrameType type, int seq) {
        return alloc.buffer(HEADER_SIZE + 4).writeInt(4).writeByte(type.code()).writeInt(seq);
    }

    /** The header of a frame whose {@code length} payload bytes are written separately (BODY, BODY_LAST). */
    static ByteBuf header(ByteBufAllocator alloc, WsgiFrameType type, int length) {
        return alloc.buffer(HEADER_SIZE).writeInt(length).writeByte(type.code());
    }

    /** A frame carrying UTF-8 text (BODY_ABORT). */
    static ByteBuf text(ByteBufAllocator alloc, WsgiFrameType type, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return alloc.buffer(HEADER_SIZE + bytes.length).writeInt(bytes.length).writeByte(type.code())
                .writeBytes(bytes);
    }

    /** SPAWN: worker number u32, then the worker's token. */
    static ByteBuf spawn(ByteBufAllocator alloc, int workerId, String token) {
        ByteBuf buf = alloc.buffer(HEADER_SIZE + 4 + token.length());
        buf.writeInt(4 + token.length()).writeByte(WsgiFrameType.SPAWN.code()).writeInt(workerId);
        ByteBufUtil.writeAscii(buf, token);
        return buf;
    }

    /**
     * REQUEST: body mode u8, pair count u16, then a u32 length for every key and value (key, value, key, ...),
     * then all keys and values as ISO-8859-1 bytes in the same order, each followed by a NUL byte its length does
     * not count (so a reader may split on NUL when no string holds one). Null if over the payload limit.
     */
    static ByteBuf request(ByteBufAllocator alloc, Environ environ, int bodyMode) {
        int n = environ.size();
        long text = 0;
        for (int i = 0; i < n; i++) {
            text += environ.key(i).length() + environ.value(i).length() + 2;
        }
        long payload = 3 + 8L * n + text;
        if (payload > MAX_PAYLOAD || n > 0xffff) {
            return null;
        }
        ByteBuf buf = alloc.buffer(HEADER_SIZE + (int) payload);
        buf.writeInt((int) payload).writeByte(WsgiFrameType.REQUEST.code()).writeByte(bodyMode).writeShort(n);
        for (int i = 0; i < n; i++) {
            buf.writeInt(environ.key(i).length()).writeInt(environ.value(i).length());
        }
        for (int i = 0; i < n; i++) {
            buf.writeCharSequence(environ.key(i), StandardCharsets.ISO_8859_1);
            buf.writeByte(0);
            buf.writeCharSequence(environ.value(i), StandardCharsets.ISO_8859_1);
            buf.writeByte(0);
        }
        return buf;
    }

    /** A START payload: the status, its reason phrase (null for the standard one), fields and body length. */
    record Start(int status, String reason, Headers headers, long length) {
    }

    /**
     * Reads START: body length i64 (-1 unknown), field count u16 n, 2n+1 u32 lengths (status line, then each name
     * and value), then those strings as ISO-8859-1 bytes.
     */
    static Start start(ByteBuf p) throws WsgiProtocolException {
        need(p, 10, "START");
        long length = p.readLong();
        Headers headers = new Headers();
        String line = fields(p, headers, "START");
        if (line.length() < 3 || !digit(line, 0) || !digit(line, 1) || !digit(line, 2) || line.charAt(0) == '0'
                || (line.length() > 3 && line.charAt(3) != ' ')) {
            throw new WsgiProtocolException("malformed status line '" + line + "'");
        }
        int status = Integer.parseInt(line, 0, 3, 10);
        String reason = line.length() > 4 ? line.substring(4) : null;
        return new Start(status, reason, headers, length < 0 ? -1 : length);
    }

    /** A WS_ACCEPT: the subprotocol (null: none) and the headers, in the layout of START without its length. */
    static Accept accept(ByteBuf p) throws WsgiProtocolException {
        need(p, 2, "WS_ACCEPT");
        Headers headers = new Headers();
        String subprotocol = fields(p, headers, "WS_ACCEPT");
        return new Accept(subprotocol.isEmpty() ? null : subprotocol, headers);
    }

    /** An accept's subprotocol (null: none) and headers. */
    record Accept(String subprotocol, Headers headers) {
    }

    /** A WS_CLOSE's or WS_DISCONNECT's code and UTF-8 reason. */
    record Close(int code, String reason) {
    }

    static Close close(ByteBuf p) throws WsgiProtocolException {
        need(p, 2, "WS_CLOSE");
        int code = p.readUnsignedShort();
        if (!WebSocket.sendable(code)) {
            throw new WsgiProtocolException("WS_CLOSE with code " + code + ", which a close frame may not carry");
        }
        return new Close(code, p.toString(StandardCharsets.UTF_8));
    }

    /** A WS_DISCONNECT with the client's {@code code} and {@code reason}. */
    static ByteBuf disconnect(ByteBufAllocator alloc, int code, String reason) {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        ByteBuf buf = header(alloc, WsgiFrameType.WS_DISCONNECT, 2 + text.length);
        return buf.writeShort(code).writeBytes(text);
    }

    /** The string before the field pairs, the fields added to {@code headers} (count u16, lengths, strings). */
    private static String fields(ByteBuf p, Headers headers, String frame) throws WsgiProtocolException {
        need(p, 2, frame);
        int n = p.readUnsignedShort();
        int count = 1 + 2 * n;
        need(p, 4L * count, frame);
        int lengthsAt = p.readerIndex();
        int at = lengthsAt + 4 * count;
        long total = 0;
        for (int i = 0; i < count; i++) {
            total += p.getUnsignedInt(lengthsAt + 4 * i);
        }
        if (total != p.writerIndex() - at) {
            throw new WsgiProtocolException(frame + " lengths add up to " + total + " bytes, the payload has "
                    + (p.writerIndex() - at));
        }
        int statusLength = p.getInt(lengthsAt);
        String line = p.toString(at, statusLength, StandardCharsets.ISO_8859_1);
        at += statusLength;
        for (int i = 0; i < n; i++) {
            int nameLength = p.getInt(lengthsAt + 4 * (1 + 2 * i));
            int valueLength = p.getInt(lengthsAt + 4 * (2 + 2 * i));
            String name = p.toString(at, nameLength, StandardCharsets.ISO_8859_1);
            at += nameLength;
            headers.add(name, p.toString(at, valueLength, StandardCharsets.ISO_8859_1));
            at += valueLength;
        }
        return line;
    }

    /** A HELLO payload: role u8, pid u32, lane index u16, then the token. */
    record Hello(int role, long pid, int index, String token) {
    }

    static Hello hello(ByteBuf p) throws WsgiProtocolException {
        need(p, 7, "HELLO");
        int role = p.readUnsignedByte();
        long pid = p.readUnsignedInt();
        int index = p.readUnsignedShort();
        return new Hello(role, pid, index, p.toString(StandardCharsets.US_ASCII));
    }

    /** A FILE payload: the worker's file descriptor u32, offset i64 and byte count i64. */
    record FileOffer(int fd, long offset, long count) {
    }

    static FileOffer file(ByteBuf p) throws WsgiProtocolException {
        need(p, 20, "FILE");
        FileOffer offer = new FileOffer(p.readInt(), p.readLong(), p.readLong());
        if (offer.fd() < 0 || offer.offset() < 0 || offer.count() < 0) {
            throw new WsgiProtocolException("FILE with a negative field: " + offer);
        }
        return offer;
    }

    /** MORE: the most body bytes the worker wants now (u32, at least 1). */
    static int more(ByteBuf p) throws WsgiProtocolException {
        need(p, 4, "MORE");
        long credit = p.readUnsignedInt();
        if (credit == 0) {
            throw new WsgiProtocolException("MORE asked for 0 bytes");
        }
        return (int) Math.min(credit, MAX_PAYLOAD);
    }

    /** FORKED: the new worker's pid u32, then its token. */
    record Forked(long pid, String token) {
    }

    static Forked forked(ByteBuf p) throws WsgiProtocolException {
        need(p, 4, "FORKED");
        long pid = p.readUnsignedInt();
        return new Forked(pid, p.toString(StandardCharsets.US_ASCII));
    }

    /** EXITED: the worker's pid u32 and its exit code i32 (negative: killed by that signal). */
    record Exited(long pid, int code) {
    }

    static Exited exited(ByteBuf p) throws WsgiProtocolException {
        need(p, 8, "EXITED");
        return new Exited(p.readUnsignedInt(), p.readInt());
    }

    /** LOG: the worker's pid u32, stream u8 (1 stdout, 2 stderr), then the lines it wrote. */
    record Output(long pid, int stream, String text) {
    }

    static Output output(ByteBuf p) throws WsgiProtocolException {
        need(p, 5, "LOG");
        return new Output(p.readUnsignedInt(), p.readUnsignedByte(), p.toString(StandardCharsets.UTF_8));
    }

    /** A text payload (BOOT_FAILED, ABORT) as UTF-8, malformed bytes replaced. */
    static String text(ByteBuf p) {
        return p.toString(StandardCharsets.UTF_8);
    }

    private static void need(ByteBuf p, long bytes, String frame) throws WsgiProtocolException {
        if (p.readableBytes() < bytes) {
            throw new WsgiProtocolException(frame + " payload of " + p.readableBytes() + " bytes is too short");
        }
    }

    private static boolean digit(String s, int i) {
        char c = s.charAt(i);
        return c >= '0' && c <= '9';
    }
}
