package io.gatehouse.runtime.python;

import io.gatehouse.config.AppConfig;
import io.gatehouse.spi.runtime.RuntimeContext;
import io.gatehouse.spi.runtime.Worker;
import io.gatehouse.spi.runtime.WorkerEvents;
import io.gatehouse.spi.runtime.WorkerFactory;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Makes the CPython workers of one app generation. It owns the generation's private socket and its fork server
 * (started on first need, and again after it dies), matches the connections Python processes open to workers by
 * token, and logs each distinct import error once with its traceback.
 */
final class PythonWorkerFactory implements WorkerFactory, PythonSocket.Greeter {
    private static final Logger LOG = Logger.getLogger(PythonWorkerFactory.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final AtomicInteger SOCKETS = new AtomicInteger();

    private final AppConfig app;
    private final PythonLaunch launch;
    private final Path script;
    private final PythonSocket socket;
    private final EventLoop timers;
    private final RuntimeContext context;
    private boolean directLogged;
    private final Map<String, PythonWorker> workers = new ConcurrentHashMap<>();
    private PythonForkServer forkServer;
    private String lastBootError;
    private long oomKillsSeen;
    /** An ASGI app found by detection has been logged. */
    private boolean asgiDetectedLogged;
    private boolean closed;
    private volatile boolean runsAsAnotherUser;

    private PythonWorkerFactory(AppConfig app, PythonLaunch launch, Path script, RuntimeContext context)
            throws IOException {
        this.app = app;
        this.launch = launch;
        this.script = script;
        this.timers = context.transport().ioGroup().next();
        this.context = context;
        this.oomKillsSeen = launch.launcher().oomKills();
        Path path = context.runDir().resolve("python").resolve("app" + SOCKETS.incrementAndGet() + ".sock");
        this.socket = PythonSocket.bind(context.transport(), path, this);
        try {
            launch.launcher().handOver(path);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * The direct path for the next fork server: the listeners leading to this app alone, unless the app is ASGI
     * (its event loop serves lanes only). Asked at each fork server's start, when the listeners are bound.
     */
    PythonDirect direct() {
        if (launch.options().appInterface() == PythonOptions.Interface.ASGI) {
            return PythonDirect.NONE;
        }
        PythonDirect path = new PythonDirect(context.direct().forApp(app.name()), context.runDir().resolve("python"),
                app.mount(), app.harakiri(), app.maxRequests());
        if (path.active()) {
            try {
                path.handOver(launch.launcher());
            } catch (IOException e) {
                LOG.warning("app '" + app.name() + "': its workers cannot reach the hand-back socket ("
                        + e.getMessage() + "); the master takes every connection");
                return PythonDirect.NONE;
            }
            logDirect(path);
        }
        return path;
    }

    private void logDirect(PythonDirect path) {
        if (!directLogged) {
            directLogged = true;
            LOG.info("app '" + app.name() + "': its workers accept the connections of "
                    + path.listeners().stream().map(l -> "'" + l.name() + "'").collect(Collectors.joining(", "))
                    + " themselves (the direct path); the master serves what they hand back");
        }
    }

    /** Binds the app's socket; the fork server starts when the first worker does. */
    static PythonWorkerFactory open(AppConfig app, PythonLaunch launch, RuntimeContext context) throws IOException {
        return new PythonWorkerFactory(app, launch, PythonLaunch.extractScript(context.runDir()), context);
    }

    @Override
    public Worker create(int id, WorkerEvents events) {
        PythonWorker worker = new PythonWorker(this, id, events, newToken());
        workers.put(worker.token(), worker);
        return worker;
    }

    AppConfig app() {
        return app;
    }

    /**
     * ASGI apps take WebSockets; so may an app whose interface is left to detection (a WSGI one found so refuses them
     * on its thread lanes, with the same 400).
     */
    @Override
    public boolean acceptsWebSocket() {
        return launch.options().appInterface() != PythonOptions.Interface.WSGI;
    }

    PythonLaunch launch() {
        return launch;
    }

    Path script() {
        return script;
    }

    Path socketPath() {
        return socket.path();
    }

    /** Whether the fork server last started runs as another user than the master. */
    boolean runsAsAnotherUser() {
        return runsAsAnotherUser;
    }

    /** The fork server is starting as another user than the master, or not. */
    void startingAs(boolean anotherUser) {
        runsAsAnotherUser = anotherUser;
    }

    /** The loop that runs this app's timers (boot timeouts, heartbeats). */
    EventLoop timers() {
        return timers;
    }

    /** Asks the fork server to fork {@code worker}, starting a fork server first if none is running. */
    void spawn(PythonWorker worker) {
        PythonForkServer server;
        synchronized (this) {
            if (closed) {
                server = null;
            } else {
                if (forkServer == null || !forkServer.accepting()) {
                    forkServer = new PythonForkServer(this, newToken());
                }
                server = forkServer;
            }
        }
        if (server == null) {
            worker.failedToStart(0, "the app is shutting down");
            return;
        }
        server.spawn(worker);
    }

    /** Withdraws a spawn the fork server has not been asked for yet; true if it was withdrawn. */
    boolean cancel(PythonWorker worker) {
        PythonForkServer server;
        synchronized (this) {
            server = forkServer;
        }
        return server != null && server.cancel(worker);
    }

    @Override
    public void greeted(WsgiFrames.Hello hello, ChannelHandlerContext ctx) {
        if (hello.role() == WsgiFrames.ROLE_FORK_SERVER) {
            PythonForkServer server;
            synchronized (this) {
                server = forkServer;
            }
            if (server != null && server.token().equals(hello.token())) {
                server.attach(ctx);
                return;
            }
        } else {
            PythonWorker worker = workers.get(hello.token());
            PythonLane.Kind kind = PythonLane.Kind.ofRole(hello.role());
            if (worker != null && kind != null) {
                PythonLane lane = new PythonLane(worker, ctx.channel(), kind);
                ctx.pipeline().replace(ctx.handler(), "lane", lane);
                if (kind == PythonLane.Kind.THREAD) {
                    attachOnLaneLoop(worker, lane, hello.pid());
                } else {
                    worker.attach(lane, hello.pid());
                }
                return;
            }
        }
        LOG.warning("app '" + app.name() + "': a connection from pid " + hello.pid() + " gave an unknown token; "
                + "closing it");
        ctx.close();
    }

    /**
     * A WSGI thread's lane leaves the client I/O loop it was accepted on for a lane loop, then joins its worker. Its
     * thread waits, idle, for the master between requests: on a loop busy with clients (a flood answered 503 for a
     * full queue) it would get one request per pass of that loop, and the app's throughput would collapse. The
     * thread sends nothing after HELLO until it is asked, so no frame is in flight while the lane moves. An ASGI
     * lane stays: its loop runs many requests at once, and the hop to another thread would cost each of them.
     */
    private void attachOnLaneLoop(PythonWorker worker, PythonLane lane, long pid) {
        Channel channel = lane.channel();
        channel.deregister().addListener(left -> {
            if (!left.isSuccess()) {
                channel.close();
                return;
            }
            context.transport().laneGroup().next().register(channel).addListener(joined -> {
                if (joined.isSuccess()) {
                    worker.attach(lane, pid);
                } else {
                    LOG.warning("app '" + app.name() + "': a worker connection could not move to a lane loop: "
                            + joined.cause());
                    channel.close();
                }
            });
        });
    }

    /** Logs an import error with its traceback, unless it is the same as the last one logged. */
    synchronized void bootFailed(String traceback) {
        if (!traceback.equals(lastBootError)) {
            lastBootError = traceback;
            LOG.severe("app '" + app.name() + "' failed to load:\n" + traceback.stripTrailing());
        }
    }

    /**
     * A worker came up ({@code onLoop}: serving an ASGI app): the next import error, even a repeat of the last, is
     * news again. The first ASGI worker of a generation says so when the config left the interface to detection.
     */
    synchronized void workerReady(boolean onLoop) {
        lastBootError = null;
        if (onLoop && !asgiDetectedLogged && launch.options().appInterface() == null) {
            asgiDetectedLogged = true;
            LOG.info("app '" + app.name() + "': its callable is async, an ASGI application: serving it as ASGI, one "
                    + "event loop per worker running up to " + launch.options().asgiConcurrency() + " requests at "
                    + "once (interface: asgi says so in the config)");
            if (app.threads() > 1) {
                LOG.warning("app '" + app.name() + "': threads: " + app.threads() + " does not apply to an ASGI "
                        + "application; its workers run 'concurrency' requests at once instead");
            }
        }
    }

    /**
     * Why a worker killed by SIGKILL died when the OOM killer did it (its kills in the app's cgroup went up since
     * the last one claimed), or null: each such worker claims one kill.
     */
    synchronized String oomKilled() {
        if (launch.launcher().oomKills() <= oomKillsSeen) {
            return null;
        }
        oomKillsSeen++;
        return "from the kernel's OOM killer" + (app.cgroup() != null && app.cgroup().memoryMax() != null
                ? ", as the app reached its cgroup memory-max " + app.cgroup().memoryMax() : "");
    }

    /** A worker has been reported exited; its token is no longer valid. */
    void forget(PythonWorker worker) {
        workers.remove(worker.token());
    }

    /** Stops the fork server and closes the socket, once every worker has exited. */
    @Override
    public void close() {
        PythonForkServer server;
        synchronized (this) {
            closed = true;
            server = forkServer;
            forkServer = null;
        }
        if (server != null) {
            // waits for it to exit, but not on an event loop, where the pool reports a generation's last worker gone
            server.stop(!context.transport().onEventLoop());
        }
        socket.close();
    }

    private static String newToken() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
