package io.gatehouse.core.master;

import io.gatehouse.config.GatehouseConfig;
import java.io.IOException;

/** {@code master.pidfile}: the new one is written before the old one is removed, so one always names the master. */
final class PidfileService extends MasterService<String> {
    private Pidfile pidfile;

    PidfileService() {
        super("master.pidfile");
    }

    @Override
    String section(GatehouseConfig config) {
        return config.master().pidfile();
    }

    @Override
    void replace(String before, String next) throws IOException {
        Pidfile written = Pidfile.write(next);
        close();
        pidfile = written;
    }

    /** Removes the pidfile if it still names this master. */
    @Override
    public void close() {
        if (pidfile != null) {
            pidfile.remove();
            pidfile = null;
        }
    }
}
