package io.gatehouse.core.master;

import io.gatehouse.config.GatehouseConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * The master's services in the order they are set up. At boot the first that fails stops the boot. At a reload
 * each is applied on its own: one that fails keeps what it ran and is reported, and the others are applied all
 * the same.
 */
final class ServiceSet implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ServiceSet.class.getName());

    private final List<MasterService<?>> services;

    ServiceSet(List<MasterService<?>> services) {
        this.services = List.copyOf(services);
    }

    /** Sets up every service from the boot config; throws the first failure. */
    void boot(GatehouseConfig config) throws IOException {
        for (MasterService<?> service : services) {
            service.apply(config);
        }
    }

    /** Applies {@code next} to every service; returns one line for each that failed (and kept what it ran). */
    List<String> reload(GatehouseConfig next) {
        List<String> failures = new ArrayList<>();
        for (MasterService<?> service : services) {
            try {
                service.apply(next);
            } catch (IOException | RuntimeException e) {
                String failure = service.key() + ": " + e.getMessage() + "; the previous one is kept, and the next "
                        + "reload tries again";
                LOG.severe("reload: " + failure);
                failures.add(failure);
            }
        }
        return failures;
    }

    /** Closes them in reverse order: the control socket, set up first, closes last, so a waiting stop returns last. */
    @Override
    public void close() {
        for (int i = services.size() - 1; i >= 0; i--) {
            services.get(i).close();
        }
    }
}
