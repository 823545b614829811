package io.gatehouse.config;

import java.time.Duration;

/**
 * The master process: shutdown, reload, control socket, pidfile and I/O threads.
 *
 * @param shutdownTimeout how long SIGTERM waits for in-flight requests
 * @param controlSocket path of the control socket, null for none
 * @param controlSocketMode octal permissions of the control socket
 * @param pidfile where to write the master's pid, null for nowhere
 * @param ioThreads event loop threads; 0 picks a number from the processor count
 * @param user the user the master switches to once its sockets are bound (started as root); null: it stays
 * @param group the group it switches to; null: that user's primary group
 * @param watchInterval how often the files of apps' {@code touch-reload} and of {@code apps-dir} are looked at
 */
public record MasterConfig(
        @Default("30s") Duration shutdownTimeout,
        @Default("graceful") ReloadMode reload,
        String controlSocket,
        @Default("0600") String controlSocketMode,
        String pidfile,
        @Default("0") @Min(0) int ioThreads,
        String user,
        String group,
        @Default("1s") Duration watchInterval) {

    /** The master's tick: files are never looked at more often. */
    public static final Duration MIN_WATCH_INTERVAL = Duration.ofMillis(200);

    public MasterConfig {
        FileMode.check("control-socket-mode", controlSocketMode);
        AccountName.check("user", user);
        AccountName.check("group", group);
        if (group != null && user == null) {
            throw new ConfigValueException("group", "needs master.user: the master drops to a user and its group");
        }
        if (watchInterval != null && watchInterval.compareTo(MIN_WATCH_INTERVAL) < 0) {
            throw new ConfigValueException("watch-interval", "must be at least "
                    + DurationFormat.format(MIN_WATCH_INTERVAL) + " (the master's tick), got "
                    + DurationFormat.format(watchInterval));
        }
    }
}
