package io.gatehouse.core.master;

import io.gatehouse.config.GatehouseConfig;
import java.io.IOException;
import java.util.Objects;
import java.util.logging.Logger;

/**
 * One thing the master runs beside the apps, set up from one section of its config: the control socket, the stats
 * server, the pidfile, the error log, the access log. At boot it is set up from the boot config; at a reload it is
 * set up anew only when its section differs from the one in force. If that fails, the one in force stays (and is
 * still the one compared against), so the next reload tries again.
 *
 * @param <S> the section of the config this service is set up from
 */
abstract class MasterService<S> implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(MasterService.class.getName());

    private final String key;
    private S inForce;
    private boolean running;

    /** A service not set up yet: the first {@link #apply} sets it up. */
    MasterService(String key) {
        this.key = key;
    }

    /** A service already set up from {@code inForce} by someone else (the error log, by the command line). */
    MasterService(String key, S inForce) {
        this.key = key;
        this.inForce = inForce;
        this.running = true;
    }

    /** The config key it is set up from, as failures name it. */
    final String key() {
        return key;
    }

    /** Sets the service up from {@code config}, unless its section is the one in force; on failure it stays as is. */
    final void apply(GatehouseConfig config) throws IOException {
        S wanted = section(config);
        if (running && Objects.equals(wanted, inForce)) {
            return;
        }
        S before = running ? inForce : null;
        replace(before, wanted);
        inForce = wanted;
        running = true;
    }

    /** This service's section of {@code config}. */
    abstract S section(GatehouseConfig config);

    /**
     * Replaces what runs for {@code before} (null at boot) by what {@code next} asks for; throws if it cannot, with
     * what ran for {@code before} still running.
     */
    abstract void replace(S before, S next) throws IOException;

    /** Stops it; called once, as the master exits. */
    @Override
    public abstract void close();

    /** How a socket service binds one section, keeping what it bound (nothing when the section asks for none). */
    interface Binder<S> {
        void bind(S section) throws IOException;
    }

    /**
     * For a socket that must be let go before the new one is bound (both may want the same path or port): binds
     * {@code next}; if that fails, binds {@code before} again so the service runs as it did, and throws.
     */
    final void rebind(S before, S next, Binder<S> binder) throws IOException {
        try {
            binder.bind(next);
        } catch (IOException | RuntimeException e) {
            if (before != null) {
                try {
                    binder.bind(before);
                } catch (IOException | RuntimeException again) {
                    LOG.severe(key + ": cannot bind the previous one again either (" + again.getMessage()
                            + "); none runs until a reload sets one up");
                    running = false;
                }
            }
            throw e;
        }
    }
}
