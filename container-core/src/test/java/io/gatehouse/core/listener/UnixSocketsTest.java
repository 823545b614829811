package io.gatehouse.core.listener;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.testing.LogCapture;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A unix socket path left by a dead process is cleared; a live socket or a file that is no socket never is. */
class UnixSocketsTest {
    @TempDir
    Path dir;

    @Test
    void removesASocketNothingListensOn() throws Exception {
        Path path = dir.resolve("web.sock");
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(path)); // closing leaves the file, as a killed process does
        }
        assertTrue(Files.exists(path));
        try (LogCapture log = LogCapture.of(UnixSockets.class)) {
            UnixSockets.clearStale(path, "listener web");
            assertEquals(List.of("listener web: removed the stale socket " + path + " (nothing listened on it)"),
                    log.warnings());
        }
        assertFalse(Files.exists(path));
    }

    @Test
    void refusesASocketAnotherServerListensOn() throws Exception {
        Path path = dir.resolve("web.sock");
        try (ServerSocketChannel live = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            live.bind(UnixDomainSocketAddress.of(path));
            IOException e = assertThrows(IOException.class, () -> UnixSockets.clearStale(path, "listener web"));
            assertEquals("listener web cannot bind " + path + ": another server listens there", e.getMessage());
            assertTrue(Files.exists(path));
        }
    }

    @Test
    void neverRemovesAFileThatIsNotASocket() throws Exception {
        Path path = Files.writeString(dir.resolve("important.txt"), "data");
        IOException e = assertThrows(IOException.class, () -> UnixSockets.clearStale(path, "control socket"));
        assertEquals("control socket cannot bind " + path + ": it exists and is not a socket (left as it is)",
                e.getMessage());
        assertEquals("data", Files.readString(path));
    }

    @Test
    void nothingToDoWhereNothingIs() throws Exception {
        UnixSockets.clearStale(dir.resolve("none.sock"), "listener web");
        assertFalse(Files.exists(dir.resolve("none.sock")));
    }
}
