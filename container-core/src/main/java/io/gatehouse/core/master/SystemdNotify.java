package io.gatehouse.core.master;

import io.gatehouse.spi.runtime.Transport;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The systemd notification protocol ({@code Type=notify}): datagrams to the unix socket in {@code NOTIFY_SOCKET}
 * saying READY=1, RELOADING=1, STOPPING=1, STATUS=..., and WATCHDOG=1 every half {@code WATCHDOG_USEC}. The JDK
 * cannot send unix datagrams, so this needs the native epoll transport; without {@code NOTIFY_SOCKET} it does nothing.
 */
final class SystemdNotify implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SystemdNotify.class.getName());

    private final Channel channel;
    private final DomainSocketAddress target;
    private final long watchdogNanos;
    private long lastWatchdog;
    private volatile boolean failing;

    private SystemdNotify(Channel channel, DomainSocketAddress target, long watchdogNanos) {
        this.channel = channel;
        this.target = target;
        this.watchdogNanos = watchdogNanos;
    }

    /** A notifier for {@code NOTIFY_SOCKET} in {@code env}, or one that does nothing. */
    static SystemdNotify fromEnvironment(Map<String, String> env, Transport transport) {
        String socket = env.get("NOTIFY_SOCKET");
        if (socket == null || socket.isEmpty()) {
            return new SystemdNotify(null, null, 0);
        }
        if (!transport.isEpoll()) {
            LOG.warning("NOTIFY_SOCKET is set but the native epoll transport is not in use; systemd is not told "
                    + "about readiness (unix datagrams need it)");
            return new SystemdNotify(null, null, 0);
        }
        // '@' names a socket in the abstract namespace, written with a leading NUL.
        String path = socket.charAt(0) == '@' ? "\0" + socket.substring(1) : socket;
        EpollDomainDatagramChannel channel = new EpollDomainDatagramChannel();
        transport.ioGroup().next().register(channel).syncUninterruptibly();
        DomainSocketAddress target = new DomainSocketAddress(path);
        // An unbound datagram channel only sends once connected; connecting also checks the socket is there.
        var connected = channel.connect(target).awaitUninterruptibly();
        if (!connected.isSuccess()) {
            LOG.warning("cannot reach systemd's NOTIFY_SOCKET " + socket + ": " + connected.cause());
            channel.close();
            return new SystemdNotify(null, null, 0);
        }
        return new SystemdNotify(channel, target, watchdogNanos(env));
    }

    private static long watchdogNanos(Map<String, String> env) {
        String usec = env.get("WATCHDOG_USEC");
        String pid = env.get("WATCHDOG_PID");
        if (usec == null || (pid != null && !pid.trim().equals(Long.toString(ProcessHandle.current().pid())))) {
            return 0;
        }
        try {
            return TimeUnit.MICROSECONDS.toNanos(Long.parseLong(usec.trim()));
        } catch (NumberFormatException e) {
            LOG.warning("WATCHDOG_USEC is not a number: " + usec);
            return 0;
        }
    }

    boolean active() {
        return channel != null;
    }

    void ready(String status) {
        send("READY=1\nSTATUS=" + status + "\nMAINPID=" + ProcessHandle.current().pid());
    }

    /** RELOADING=1 with the CLOCK_MONOTONIC time (nanoTime's clock on Linux), as systemd 253 and newer expect. */
    void reloading() {
        send("RELOADING=1\nSTATUS=reloading\nMONOTONIC_USEC=" + TimeUnit.NANOSECONDS.toMicros(System.nanoTime()));
    }

    void stopping() {
        send("STOPPING=1\nSTATUS=stopping");
    }

    void status(String status) {
        send("STATUS=" + status);
    }

    /** Called from every tick of the master's loop: a stuck loop stops the pings and systemd restarts us. */
    void tick(long now) {
        if (watchdogNanos > 0 && now - lastWatchdog >= watchdogNanos / 2) {
            lastWatchdog = now;
            send("WATCHDOG=1");
        }
    }

    private void send(String message) {
        if (channel == null) {
            return;
        }
        channel.writeAndFlush(Unpooled.copiedBuffer(message, StandardCharsets.UTF_8)).addListener(f -> {
                    // One line when notifications start failing, not one per watchdog ping.
                    if (!f.isSuccess() && !failing) {
                        LOG.warning("cannot notify systemd at " + target.path() + ": " + f.cause());
                    }
                    failing = !f.isSuccess();
                });
    }

    @Override
    public void close() {
        if (channel != null) {
            channel.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        }
    }
}
