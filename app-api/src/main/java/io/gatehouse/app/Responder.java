package io.gatehouse.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * How a JVM app reads the request body and answers: the counterpart of wsgi.input, start_response and the
 * response iterable. Nothing reaches the client until the first body byte, a flush, or the return of
 * {@link App#call}, so a status can still be changed until then.
 */
public interface Responder {

    /** The request body as it arrives; reads block until data comes, -1 at its end. */
    InputStream input();

    /** Sets the status and header fields (start_response); may be called again until the head is sent. */
    void start(int status, Headers headers);

    /** The body stream; the head is sent with the first write or flush. Requires {@link #start}. */
    OutputStream body();

    /** Sends {@code count} bytes of a file from {@code offset} as (part of) the body, zero-copy where possible. */
    void sendFile(Path file, long offset, long count) throws IOException;

    /** True once the status line and headers have gone to the client. */
    boolean committed();
}
