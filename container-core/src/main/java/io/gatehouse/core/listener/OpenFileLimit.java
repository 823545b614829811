package io.gatehouse.core.listener;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.logging.Logger;

/**
 * The master's limit of open files (RLIMIT_NOFILE) against the connections its listeners may hold. The JVM raises
 * its soft limit to the hard one as it starts (HotSpot's {@code -XX:+MaxFDLimit}, on by default), as nginx's
 * {@code worker_rlimit_nofile} and uWSGI users expect; the hard limit is the service manager's ({@code LimitNOFILE=}
 * in the systemd unit). Past the limit accepting fails; the listeners then pause rather than spin, but the
 * connections never come, so the master says so when it binds its listeners.
 */
public final class OpenFileLimit {
    private static final Logger LOG = Logger.getLogger(OpenFileLimit.class.getName());
    /** Files the master needs besides its connections: jars, workers' sockets and pipes, logs, the stats server. */
    static final long RESERVE = 256;

    private OpenFileLimit() {
    }

    /** The limit in force, or -1 where the platform does not tell. */
    public static long current() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.UnixOperatingSystemMXBean unix ? unix.getMaxFileDescriptorCount() : -1;
    }

    /** Logs a warning if {@code connections} (the listeners' max-connections together) would not fit the limit. */
    public static void check(long connections) {
        long limit = current();
        if (limit > 0 && connections + RESERVE > limit) {
            LOG.warning("the listeners' max-connections add up to " + connections + ", but the open-file limit is "
                    + limit + " (with " + RESERVE + " kept for the master's own files): raise LimitNOFILE (ulimit -n) "
                    + "or lower max-connections, or accepting will fail before the listeners are full");
        }
    }
}
