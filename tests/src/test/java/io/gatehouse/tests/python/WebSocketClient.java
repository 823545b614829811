package io.gatehouse.tests.python;

import io.gatehouse.tests.support.Command;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Runs tests/src/test/python/ws_client.py (Debian's python3-websockets) and returns what it printed. */
final class WebSocketClient {
    private WebSocketClient() {
    }

    /** The client's output for {@code command} against {@code url} and more {@code args}; fails if the client did. */
    static String run(String command, String url, String... args) {
        List<String> argv = new ArrayList<>(List.of(PythonApps.PYTHON, script(), command, url));
        argv.addAll(List.of(args));
        Command.Result result = Command.run(argv, Duration.ofSeconds(60));
        if (result.status() != 0) {
            throw new AssertionError("ws_client.py " + command + " " + url + " failed:\n" + result.output());
        }
        return result.output();
    }

    /** The client started in the background (for {@code hold}, which waits for the server to close). */
    static Process start(String command, String url, String... args) {
        List<String> argv = new ArrayList<>(List.of(PythonApps.PYTHON, script(), command, url));
        argv.addAll(List.of(args));
        try {
            return new ProcessBuilder(argv).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String script() {
        return PythonApps.dir().resolve("ws_client.py").toString();
    }

    /** What {@code echo} prints when every check passed and the client closed normally. */
    static final String ECHOED = """
            subprotocol chat
            text True
            binary True
            fragmented True
            large True
            pong True
            close 1000
            """;
}
