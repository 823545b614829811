package io.gatehouse.protocol.fastcgi;

import io.netty.buffer.ByteBuf;

/**
 * One request id's state on a connection, seen from both directions: how far its input streams got (PARAMS, then
 * STDIN, then done) and whether its FCGI_END_REQUEST has gone out. Section 3.3: an id is active from
 * FCGI_BEGIN_REQUEST until the application's FCGI_END_REQUEST; the entry lives on after that only while the web
 * server may still send the rest of its input, which is then skipped.
 */
final class FcgiRequest {
    /** Which input stream the web server is sending. */
    enum Stage { PARAMS, STDIN, DONE }

    private final int id;
    private final boolean keepConn;
    private boolean dataOpen;
    private Stage stage = Stage.PARAMS;
    private ByteBuf params;
    private boolean discarding;
    private boolean ended;
    private boolean aborted;
    private boolean bodyless;
    private long declaredLength = -1;
    private long received;

    FcgiRequest(int id, boolean keepConn, boolean filter) {
        this.id = id;
        this.keepConn = keepConn;
        this.dataOpen = filter;
    }

    int id() {
        return id;
    }

    /** FCGI_KEEP_CONN: false means the connection closes after this request's response. */
    boolean keepConn() {
        return keepConn;
    }

    Stage stage() {
        return stage;
    }

    void stage(Stage next) {
        this.stage = next;
    }

    /** True while a FILTER request's DATA stream (6.4) has not ended: its input is not complete before. */
    boolean dataOpen() {
        return dataOpen;
    }

    void dataEnded() {
        this.dataOpen = false;
    }

    /** The PARAMS bytes received so far, or null before the first non-empty record. */
    ByteBuf params() {
        return params;
    }

    void params(ByteBuf buffer) {
        this.params = buffer;
    }

    /** Bytes of PARAMS buffered so far. */
    int paramsSize() {
        return params == null ? 0 : params.readableBytes();
    }

    /** Frees the PARAMS buffer (after the head is built, or when the connection goes). */
    void releaseParams() {
        if (params != null) {
            params.release();
            params = null;
        }
    }

    /** True when further input of this request is skipped (refused, failed, aborted, or already answered). */
    boolean discarding() {
        return discarding;
    }

    void discard() {
        this.discarding = true;
        releaseParams();
    }

    /** True once FCGI_END_REQUEST has been written for this id. */
    boolean ended() {
        return ended;
    }

    void ended(boolean value) {
        this.ended = value;
    }

    /** True once the response was cut short: file records still queued for it stop. */
    boolean aborted() {
        return aborted;
    }

    void abort() {
        this.aborted = true;
    }

    /** True when the response must carry no body (HEAD, 1xx, 204, 304). */
    boolean bodyless() {
        return bodyless;
    }

    void bodyless(boolean value) {
        this.bodyless = value;
    }

    /** CONTENT_LENGTH as the web server gave it, or -1 when it gave none. */
    long declaredLength() {
        return declaredLength;
    }

    void declaredLength(long length) {
        this.declaredLength = length;
    }

    /** STDIN bytes received so far. */
    long received() {
        return received;
    }

    void receive(int bytes) {
        received += bytes;
    }

    @Override
    public String toString() {
        return "FcgiRequest(" + id + ", " + stage + (ended ? ", ended" : "") + (discarding ? ", discarding" : "") + ")";
    }
}
