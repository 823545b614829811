package io.gatehouse.protocol.http;

import java.util.ArrayDeque;

/** What the HTTP/2 handler keeps for one stream, beside what Netty keeps: body count, response progress, stalls. */
final class Http2StreamState {
    /** The request's HEADERS came; any more are trailers. */
    boolean headSeen;
    /** The response carries no body (HEAD, 204, 304): DATA the app writes is dropped. */
    boolean bodyless;
    /** Request body bytes received, against max-body-size. */
    long bodyBytes;
    /** A final (non-1xx) HEADERS frame was written. */
    boolean responseStarted;
    /** END_STREAM was written (or the stream was reset by us): the app's output ends there. */
    boolean responseEnded;
    /** The core was told the stream is gone. */
    boolean aborted;
    /** The stream's window is closed with response bytes waiting. */
    boolean blocked;
    /** When it closed (the event loop's ticker, whose time may be any value, 0 included). */
    long blockedSince;
    /** The core was last told the stream is blocked (it starts out thinking it writable). */
    boolean toldBlocked;
    /** A stall check is scheduled. */
    boolean stallCheck;
    /** A file body being sent as the window allows; messages after it wait in {@link #queued}. */
    Http2FileBody file;
    /** Messages (each with its promise) written while {@link #file} is still being sent. */
    ArrayDeque<Object> queued;
}
