package io.gatehouse.runtime.python;

import io.gatehouse.app.Environ;
import io.gatehouse.app.Headers;
import io.gatehouse.core.testing.Requests;
import io.gatehouse.spi.exchange.EnvironHead;
import io.gatehouse.spi.exchange.Exchange;
import io.gatehouse.spi.exchange.RequestBody;
import io.gatehouse.spi.exchange.Response;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An exchange for runtime tests without a listener: a GET with no body, or a POST whose body (of unknown length)
 * never arrives, and a response that records what the runtime did to it ({@code head 200}, {@code chunk hi},
 * {@code end}, ...) and may refuse the head as if the client had gone; {@link #leave} makes the client go.
 */
record RecordingExchange(String name, EnvironHead head, RequestBody body, Recorder response) implements Exchange {

    private RecordingExchange(String name, EnvironHead head) {
        this(name, head, new Unsent(head.contentLength()), new Recorder());
    }

    /** A GET of /{@code name}, without a body. */
    static RecordingExchange get(String name) {
        return new RecordingExchange(name, Requests.get("/" + name));
    }

    /** A POST of /{@code name} with a chunked body, which the lane must ask for. */
    static RecordingExchange post(String name) {
        return new RecordingExchange(name, Requests.head("POST", "/" + name, -1));
    }

    /** What the runtime did to the response, in order. */
    List<String> said() {
        return response.said;
    }

    @Override
    public String toString() {
        return name;
    }

    @Override
    public Environ environ() {
        return head.environ();
    }

    @Override
    public EventLoop eventLoop() {
        return null;
    }

    @Override
    public long startNanos() {
        return 0;
    }

    @Override
    public String peer() {
        return "127.0.0.1:40000";
    }

    @Override
    public String appName() {
        return "app";
    }

    @Override
    public void appName(String name) {
    }

    @Override
    public boolean clientGone() {
        return false;
    }

    @Override
    public boolean completed() {
        return response.done();
    }

    @Override
    public void whenClientGone(Runnable callback) {
        response.gone = callback;
    }

    /** The client goes away: what the runtime asked to be told runs. */
    void leave() {
        Runnable gone = response.gone;
        response.gone = null;
        if (gone != null) {
            gone.run();
        }
    }

    /** A body of {@code length} bytes (0 none, -1 unknown) that never arrives. */
    private record Unsent(long contentLength) implements RequestBody {
        @Override
        public long received() {
            return 0;
        }

        @Override
        public boolean finished() {
            return contentLength == 0;
        }

        @Override
        public boolean complete() {
            return contentLength == 0;
        }

        @Override
        public void read(Receiver receiver) {
        }

        @Override
        public ByteBuf take(long timeoutNanos) {
            return null;
        }

        @Override
        public void discard() {
        }
    }

    /** The response; {@code takesHead} false: the client is gone by the time the head is written. */
    static final class Recorder implements Response {
        private final List<String> said = new ArrayList<>();
        boolean takesHead = true;
        /** What {@link #leave} runs. */
        private Runnable gone;
        private int status;
        private boolean done;

        @Override
        public boolean head(int status, String reason, Headers headers, long contentLength) {
            this.status = status;
            said.add("head " + status);
            return takesHead;
        }

        @Override
        public boolean chunk(ByteBuf data, boolean flush) {
            said.add("chunk " + data.toString(StandardCharsets.ISO_8859_1));
            data.release();
            return true;
        }

        @Override
        public boolean file(FileChannel file, long position, long count) {
            said.add("file " + count);
            return true;
        }

        @Override
        public void flush() {
            said.add("flush");
        }

        @Override
        public void end() {
            said.add("end");
            done = true;
        }

        @Override
        public void abort() {
            said.add("abort");
            done = true;
        }

        @Override
        public void error(int status, Headers extra) {
            said.add("error " + status);
            done = true;
        }

        @Override
        public boolean committed() {
            return status > 0;
        }

        @Override
        public boolean done() {
            return done;
        }

        @Override
        public int status() {
            return status;
        }

        @Override
        public long bytesSent() {
            return 0;
        }

        @Override
        public boolean onLoop() {
            return true;
        }

        @Override
        public boolean writable() {
            return true;
        }

        @Override
        public void whenWritable(Runnable callback) {
            callback.run();
        }

        @Override
        public boolean awaitWritable(long timeoutNanos) {
            return true;
        }
    }
}
