package io.gatehouse.protocol.ajp;

import io.gatehouse.spi.exchange.EnvironHead;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The request body's flow on one connection, shared by its decoder and encoder (both on the connection's event
 * loop). In AJP the web server sends body data only when asked: the first packet comes unasked after a forward
 * request with a Content-Length, every later one answers a GET_BODY_CHUNK. So the listener asks for the next
 * packet only when the connection is reading (the encoder sees the read request): while the worker's body buffer
 * is full the core turns reading off, nothing is asked, and the web server holds the rest of the body.
 *
 * <p>It also counts the body packets the web server still owes, so that after a response ends with the body
 * unread, the one packet already on its way is recognised and dropped rather than read as a new request.
 */
final class AjpBodyFlow {
    private final int maxChunk;
    private boolean responding;
    private int owed;
    private boolean wanting;
    private int askSize;

    AjpBodyFlow(int packetSize) {
        this.maxChunk = packetSize - AjpConstants.BODY_PACKET_OVERHEAD;
    }

    /** Decoder: a forward request was decoded with this body length; a Content-Length means one packet comes unasked. */
    void requestStarted(long contentLength) {
        responding = true;
        owed = contentLength > 0 ? 1 : 0;
        wanting = false;
        if (contentLength == EnvironHead.UNKNOWN_LENGTH) {
            wantMore(EnvironHead.UNKNOWN_LENGTH);
        }
    }

    /** Decoder: true when the next packet is body data the web server owes (it has no prefix code). */
    boolean bodyPacketDue() {
        return owed > 0;
    }

    /** Decoder: an owed body packet arrived; true if its request is still being answered, false to drop it. */
    boolean bodyPacketArrived() {
        owed--;
        return responding;
    }

    /** Decoder: the body goes on; {@code remaining} bytes are still to come, or UNKNOWN_LENGTH until an empty packet. */
    void wantMore(long remaining) {
        if (responding) {
            wanting = true;
            askSize = remaining < 0 ? maxChunk : (int) Math.min(maxChunk, remaining);
        }
    }

    /** Decoder: the body is complete; nothing more to ask. */
    void bodyEnded() {
        wanting = false;
    }

    /** Decoder: true while a forward request is being answered (its END_RESPONSE not yet written). */
    boolean responding() {
        return responding;
    }

    /** Encoder: the END_RESPONSE is being written; stop asking, and drop what is still owed. */
    void responseEnded() {
        responding = false;
        wanting = false;
    }

    /** Encoder, when the connection reads: the GET_BODY_CHUNK to send now, or null. */
    ByteBuf nextRequest(ByteBufAllocator alloc) {
        if (!wanting || owed > 0) {
            return null;
        }
        wanting = false;
        owed = 1;
        ByteBuf ask = alloc.buffer(7);
        ask.writeShort(AjpConstants.MAGIC_OUT).writeShort(3).writeByte(AjpConstants.GET_BODY_CHUNK)
                .writeShort(askSize);
        return ask;
    }
}
