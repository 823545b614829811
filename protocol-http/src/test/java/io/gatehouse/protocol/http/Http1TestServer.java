package io.gatehouse.protocol.http;

import io.gatehouse.config.AppConfig;
import io.gatehouse.config.DataSize;
import io.gatehouse.config.WorkerCount;
import io.gatehouse.core.testing.MountedPool;
import io.gatehouse.core.testing.SocketListener;
import io.gatehouse.runtime.jvm.JvmOptions;
import io.gatehouse.runtime.jvm.JvmRuntime;
import io.gatehouse.spi.runtime.RuntimeContext;
import io.gatehouse.spi.runtime.Transport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real HTTP listener in the test JVM, as the master builds one: the server's transport, a listener per bind, and
 * a worker pool running {@link Http1TestApp} on the jvm runtime. Closing it stops everything.
 */
final class Http1TestServer implements AutoCloseable {
    private final Transport transport = Transport.create(1);
    private final List<SocketListener> listeners = new ArrayList<>();
    private final Path runDir;
    private MountedPool pool;

    private Http1TestServer() {
        try {
            runDir = Files.createTempDirectory(Path.of("/tmp"), "gh-http");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A server whose listeners (one per bind, "unix:" for a socket in a temp dir) share {@code options}. */
    static Http1TestServer start(Http1Options options, String... binds) throws Exception {
        return start(false, options, binds);
    }

    /** The same, with the app declared {@code non-blocking} (run on the I/O thread) when asked. */
    static Http1TestServer start(boolean nonBlocking, Http1Options options, String... binds) throws Exception {
        Http1TestServer server = new Http1TestServer();
        try {
            server.startPool(nonBlocking);
            for (String bind : binds) {
                server.listeners.add(SocketListener.bind(server.transport, "http-test-" + server.listeners.size(),
                        bind.equals("unix:") ? "unix:" + server.runDir.resolve("http.sock") : bind,
                        new Http1Protocol(), options, server.pool.routing()));
            }
        } catch (Exception | Error e) {
            server.close();
            throw e;
        }
        return server;
    }

    private void startPool(boolean nonBlocking) throws Exception {
        AppConfig app = new AppConfig(null, "test", "jvm", "/", List.of(), WorkerCount.of(1), 8, 100, Duration.ZERO,
                0, DataSize.ofBytes(0), Duration.ofSeconds(1), Duration.ofSeconds(10), null, null, null, null,
                null, null, null, null);
        JvmOptions jvm = new JvmOptions(Http1TestApp.class.getName(), List.of(), List.of(), Map.of(), false,
                nonBlocking);
        pool = MountedPool.start(app, new JvmRuntime().prepare(app, jvm, new RuntimeContext(transport, runDir)));
    }

    /** Where listener {@code index} accepts connections, as a client connects to it. */
    SocketAddress address(int index) {
        return listeners.get(index).address();
    }

    /** The name of listener {@code index}, as its log lines give it. */
    String name(int index) {
        return listeners.get(index).name();
    }

    @Override
    public void close() {
        listeners.forEach(SocketListener::close);
        if (pool != null) {
            pool.close();
        }
        transport.close();
        try (Stream<Path> files = Files.walk(runDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir left behind is harmless
        }
    }
}
