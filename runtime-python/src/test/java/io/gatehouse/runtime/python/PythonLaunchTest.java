package io.gatehouse.runtime.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.config.AppConfig;
import io.gatehouse.config.ConfigLoader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How fork servers start: from one thread that outlives them, as their parent-death signal needs; and with every
 * module of the worker beside its script.
 */
class PythonLaunchTest {
    @TempDir
    Path dir;

    @Test
    void everyModuleOfTheWorkerIsWrittenOutBeforeTheScript() throws Exception {
        Path resources = Path.of(PythonLaunch.class.getResource(PythonLaunch.SCRIPT).toURI()).getParent();
        Set<String> shipped;
        try (Stream<Path> files = Files.list(resources)) {
            shipped = files.map(f -> f.getFileName().toString()).filter(n -> n.matches("gatehouse_\\w+\\.py"))
                    .collect(Collectors.toSet());
        }
        assertEquals(shipped, Set.copyOf(PythonLaunch.FILES));
        assertEquals(PythonLaunch.SCRIPT, PythonLaunch.FILES.get(PythonLaunch.FILES.size() - 1));
        Path script = PythonLaunch.extractScript(dir);
        try (Stream<Path> files = Files.list(script.getParent())) {
            assertEquals(shipped, files.map(f -> f.getFileName().toString()).collect(Collectors.toSet()));
        }
    }

    @Test
    void aForkServerStartedFromAThreadThatEndsLivesOn() throws Exception {
        Files.writeString(dir.resolve("app.py"), "def application(e, s):\n    return []\n");
        AppConfig app = ConfigLoader.parse("""
                listeners: [{protocol: http, bind: "127.0.0.1:8080"}]
                apps: [{name: app, runtime: python}]
                """, dir.resolve("site.yaml"), Map.of()).config().apps().get(0);
        PythonOptions options = new PythonOptions("app", null, null, "/usr/bin/python3", null, null, List.of(),
                Map.of(), false, Duration.ZERO, 0, null, null, null, null);
        PythonLaunch launch = PythonLaunch.of(app, options);
        Path socket = dir.resolve("master.sock");
        try (ServerSocketChannel master = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            master.bind(UnixDomainSocketAddress.of(socket));
            AtomicReference<Process> started = new AtomicReference<>();
            AtomicReference<SocketChannel> control = new AtomicReference<>();
            Thread shortLived = new Thread(() -> {
                try {
                    started.set(launch.start(PythonLaunch.extractScript(dir), socket, "token", 1, 1,
                            PythonDirect.NONE));
                    control.set(master.accept()); // it connects once it has asked for its parent-death signal
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            shortLived.start();
            shortLived.join();
            Process forkServer = started.get();
            try (SocketChannel open = control.get()) {
                // a fork server that was the child of the thread that asked would have been killed as it ended
                assertTrue(!forkServer.waitFor(500, TimeUnit.MILLISECONDS), "the fork server died with the thread");
            } finally {
                forkServer.destroyForcibly();
                forkServer.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
