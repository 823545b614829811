package io.gatehouse.core.master;

import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.spi.runtime.Transport;
import java.io.IOException;
import java.util.logging.Logger;

/** {@code master.control-socket} and its mode: the {@link ControlServer} the verbs of {@code gatehouse} talk to. */
final class ControlSocketService extends MasterService<ControlSocketService.Section> {
    private static final Logger LOG = Logger.getLogger(ControlSocketService.class.getName());

    /** Where the socket is (null: none) and its octal mode. */
    record Section(String path, String mode) {
    }

    private final Transport transport;
    private final ControlServer.Target target;
    private ControlServer server;

    ControlSocketService(Transport transport, ControlServer.Target target) {
        super("master.control-socket");
        this.transport = transport;
        this.target = target;
    }

    @Override
    Section section(GatehouseConfig config) {
        return new Section(config.master().controlSocket(), config.master().controlSocketMode());
    }

    @Override
    void replace(Section before, Section next) throws IOException {
        // The old socket goes first: a change of mode alone binds the same path again.
        close();
        rebind(before, next, this::bind);
    }

    private void bind(Section section) throws IOException {
        if (section.path() != null) {
            server = ControlServer.bind(section.path(), section.mode(), transport, target);
            LOG.info("control socket at " + server.path());
        }
    }

    /** Closes the socket and its connections: a {@code gatehouse stop} waiting on one returns. */
    @Override
    public void close() {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
