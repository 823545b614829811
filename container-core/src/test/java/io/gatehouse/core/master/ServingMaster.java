package io.gatehouse.core.master;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gatehouse.core.protocol.ProtocolCatalog;
import io.gatehouse.core.runtime.RuntimeCatalog;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A master booted from a config file, its loop on a thread of its own as the tests drive it; closing stops it now. */
final class ServingMaster implements AutoCloseable {
    final Master master;
    private final CompletableFuture<Integer> exit;

    private ServingMaster(Master master) {
        this.master = master;
        this.exit = CompletableFuture.supplyAsync(master::serve);
    }

    static ServingMaster boot(Path file, ProtocolCatalog protocols, RuntimeCatalog runtimes) throws Exception {
        Master master = new Master(ResolvedConfig.load(file, protocols, runtimes), protocols, runtimes, Map.of());
        master.boot();
        return new ServingMaster(master);
    }

    /** The loop's exit status, once it has ended (at most 10 s from now). */
    int exitStatus() throws Exception {
        return exit.get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        if (!exit.isDone()) {
            master.stop(true);
            assertEquals(0, exitStatus());
        }
    }
}
