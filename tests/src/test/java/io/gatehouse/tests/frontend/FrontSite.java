package io.gatehouse.tests.frontend;

import io.gatehouse.tests.support.FreePort;
import java.nio.file.Path;

/**
 * Where one row of {@link FrontServerCase} runs: its directory, the ports of Gatehouse's main and limited
 * listeners, and a TLS port for the front server.
 */
public record FrontSite(Path dir, int port, int limitedPort, int tlsPort) {
    static FrontSite in(Path dir) {
        return new FrontSite(dir, FreePort.pick(), FreePort.pick(), FreePort.pick());
    }

    /** The unix socket of a row that listens on one. */
    public Path socket() {
        return dir.resolve("gateway.sock");
    }

    /** The front server's directory (its config, logs and the files it was given). */
    public Path frontDir() {
        return dir.resolve("front");
    }

    /** {@code fragment} with the places of {@link FrontServerCase}'s fragments filled in. */
    String fill(String fragment) {
        return fragment.replace("{port}", Integer.toString(port)).replace("{limited}", Integer.toString(limitedPort))
                .replace("{tls}", Integer.toString(tlsPort)).replace("{socket}", socket().toString())
                .replace("{secret}", FrontServerCase.AJP_SECRET).replace("{dir}", frontDir().toString());
    }
}
