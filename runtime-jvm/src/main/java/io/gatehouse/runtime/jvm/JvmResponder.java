package io.gatehouse.runtime.jvm;

import io.gatehouse.app.Headers;
import io.gatehouse.app.Responder;
import io.gatehouse.spi.exchange.EnvironHead;
import io.gatehouse.spi.exchange.Exchange;
import io.gatehouse.spi.exchange.Response;
import io.gatehouse.spi.exchange.ResponseFields;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A JVM app's view of one exchange. The head waits until the first body byte leaves the buffer, so a response
 * that fits in the buffer goes out with a Content-Length and in one flush.
 */
final class JvmResponder implements Responder {
    private final Exchange exchange;
    private final Response response;
    private BodyInputStream input;
    private BodyOutputStream output;
    private int status;
    private Headers headers;

    JvmResponder(Exchange exchange) {
        this.exchange = exchange;
        this.response = exchange.response();
    }

    @Override
    public InputStream input() {
        if (input == null) {
            input = new BodyInputStream(exchange.body());
        }
        return input;
    }

    /**
     * Refuses at once, in the app's own stack, a head the listener would refuse (a CR or LF in a field, a name that is
     * not a token, a status outside 200..599); fields added to {@code headers} later are checked when it is sent.
     */
    @Override
    public void start(int status, Headers headers) {
        String problem = ResponseFields.problem(status, null, headers);
        if (problem != null) {
            throw new IllegalArgumentException("invalid response head: " + problem);
        }
        if (response.committed()) {
            throw new IllegalStateException("the response head has already been sent");
        }
        this.status = status;
        this.headers = headers;
    }

    @Override
    public OutputStream body() {
        if (status == 0) {
            throw new IllegalStateException("start() must be called before body()");
        }
        if (output == null) {
            output = new BodyOutputStream(this, response);
        }
        return output;
    }

    @Override
    public void sendFile(Path file, long offset, long count) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            long length = count < 0 ? channel.size() - offset : count;
            ((BodyOutputStream) body()).flushBuffered(false);
            commit(EnvironHead.UNKNOWN_LENGTH);
            if (!response.file(channel, offset, length)) {
                throw new IOException("the response is already finished");
            }
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public boolean committed() {
        return response.committed();
    }

    /** Sends the head if it has not gone yet; {@code knownLength} is used unless the app set Content-Length. */
    void commit(long knownLength) throws IOException {
        if (response.committed()) {
            if (response.done()) {
                throw new IOException("the response is already finished");
            }
            return;
        }
        long length = declaredLength();
        if (length < 0) {
            length = knownLength;
        }
        if (!response.head(status, null, headers, length)) {
            throw new IOException("the response is already finished");
        }
    }

    /** After the app returned: the rest of the buffer, then the end of the response. */
    void finish() throws IOException {
        if (status == 0) {
            throw new IllegalStateException("the app returned without calling start()");
        }
        if (output == null) {
            commit(0);
        } else {
            output.flushBuffered(true);
        }
        response.end();
    }

    void discardBuffered() {
        if (output != null) {
            output.discard();
        }
    }

    private long declaredLength() {
        String value = headers == null ? null : headers.get("Content-Length");
        if (value == null) {
            return EnvironHead.UNKNOWN_LENGTH;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalStateException("Content-Length is not a number: " + value);
        }
    }
}
