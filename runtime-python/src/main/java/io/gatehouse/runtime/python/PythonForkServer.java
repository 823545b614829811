package io.gatehouse.runtime.python;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * An app generation's fork server: the Python process that imports the app first when preloading, forks a worker
 * for each SPAWN, reports each worker's pid (FORKED) and exit code (EXITED), and relays the workers' output (LOG).
 * It is gone once its process has exited and its connection has closed; the factory then starts a new one for the
 * next worker, so a fixed import error is picked up by the next respawn.
 */
final class PythonForkServer {
    private static final Logger LOG = Logger.getLogger(PythonForkServer.class.getName());
    private static final long STOP_GRACE_SECONDS = 5;

    /** NEW until the first spawn launches the process; READY once it has loaded the app (if preloading). */
    private enum State { NEW, STARTING, READY, GONE }

    private final PythonWorkerFactory factory;
    private final String token;
    private final ArrayDeque<PythonWorker> waiting = new ArrayDeque<>();
    private final Map<String, PythonWorker> spawning = new HashMap<>();
    private final Map<Long, PythonWorker> forked = new HashMap<>();
    private State state = State.NEW;
    private Process process;
    private PythonDirect direct = PythonDirect.NONE;
    private PythonOutput output;
    private Channel control;
    private boolean controlClosed;
    private Integer processStatus;
    private String bootError;
    private ScheduledFuture<?> bootTimer;

    PythonForkServer(PythonWorkerFactory factory, String token) {
        this.factory = factory;
        this.token = token;
    }

    String token() {
        return token;
    }

    /** True while it can still take spawns (starting or ready). */
    synchronized boolean accepting() {
        return state != State.GONE;
    }

    /** Forks {@code worker} when ready; the first spawn starts the process. */
    void spawn(PythonWorker worker) {
        boolean launch;
        synchronized (this) {
            launch = state == State.NEW;
            if (launch) {
                state = State.STARTING;
            }
            if (state == State.READY) {
                sendSpawn(worker);
            } else {
                waiting.add(worker);
            }
        }
        if (launch) {
            launch();
        }
    }

    /** Withdraws a spawn not yet sent. */
    synchronized boolean cancel(PythonWorker worker) {
        return waiting.remove(worker);
    }

    private void launch() {
        PythonLaunch launch = factory.launch();
        factory.startingAs(launch.launcher().switchesUser());
        PythonDirect path = factory.direct();
        synchronized (this) {
            direct = path;
        }
        Process started;
        try {
            started = launch.start(factory.script(), factory.socketPath(), token, factory.app().threads(),
                    factory.app().workers().resolve(), path);
        } catch (IOException e) {
            String problem = "cannot run " + launch.interpreter() + ": " + e.getMessage();
            factory.bootFailed(problem);
            synchronized (this) {
                bootError = problem;
                processStatus = 127;
                controlClosed = true;
            }
            finishIfGone();
            return;
        }
        synchronized (this) {
            process = started;
            output = PythonOutput.follow(factory.app().name(), started);
            bootTimer = factory.timers().schedule(this::bootTimedOut,
                    launch.bootTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }
        LOG.info(() -> "app '" + factory.app().name() + "': fork server pid " + started.pid() + " started ("
                + launch.interpreter() + (launch.options().preload() ? ", preloading the app" : "")
                + (launch.launcher().cgroupProcs() == null ? "" : ", in cgroup "
                        + launch.launcher().cgroupProcs().getParent()) + ")");
        started.onExit().thenAccept(p -> {
            synchronized (this) {
                processStatus = p.exitValue();
            }
            finishIfGone();
        });
    }

    /** The fork server's HELLO: its connection becomes the control connection. */
    void attach(ChannelHandlerContext ctx) {
        PythonDirect path;
        synchronized (this) {
            control = ctx.channel();
            path = direct;
        }
        path.passSockets(ctx.channel());
        ctx.pipeline().replace(ctx.handler(), "fork-server", new Control());
    }

    private synchronized void ready() {
        if (state != State.STARTING) {
            return;
        }
        state = State.READY;
        cancelBootTimer();
        for (PythonWorker w; (w = waiting.poll()) != null; ) {
            sendSpawn(w);
        }
    }

    private void bootFailed(String traceback) {
        synchronized (this) {
            bootError = traceback;
        }
        factory.bootFailed(traceback);
        control.close(); // the fork server waits for this before it exits
    }

    /** FORKED: the worker of that token has that pid now. */
    private void forked(WsgiFrames.Forked f) {
        PythonWorker w;
        synchronized (this) {
            w = spawning.remove(f.token());
            if (w != null) {
                forked.put(f.pid(), w);
            }
        }
        if (w != null) {
            w.forked(f.pid());
        }
    }

    /** EXITED: the worker of that pid is gone. */
    private void exited(WsgiFrames.Exited e) {
        PythonWorker w;
        synchronized (this) {
            w = forked.remove(e.pid());
        }
        if (w != null) {
            w.processExited(e.code());
        }
    }

    private void sendSpawn(PythonWorker worker) {
        if (direct.active()) {
            try {
                worker.direct().assign(direct, direct.board(worker.token(), factory.app().threads(),
                        factory.launch().launcher()));
            } catch (IOException e) {
                LOG.warning(worker.describe() + ": no scoreboard (" + e.getMessage() + "); it will not accept "
                        + "connections itself");
            }
        }
        spawning.put(worker.token(), worker);
        control.writeAndFlush(WsgiFrames.spawn(control.alloc(), worker.id(), worker.token()), control.voidPromise());
    }

    private void bootTimedOut() {
        Process p;
        synchronized (this) {
            if (state != State.STARTING) {
                return;
            }
            bootError = "the app did not load within boot-timeout "
                    + factory.launch().bootTimeout().toSeconds() + " s";
            p = process;
        }
        LOG.severe("app '" + factory.app().name() + "': " + bootError + "; killing its fork server");
        p.destroyForcibly();
    }

    /**
     * Asks the fork server to exit (every worker has already stopped) and kills it if it has not within 5 s. Only
     * {@code wait} (the master's shutdown) blocks for that: the last worker of a retired generation exits on an I/O
     * loop, whose connections must not stall while an interpreter shuts down.
     */
    void stop(boolean wait) {
        Channel c;
        Process p;
        synchronized (this) {
            c = control;
            p = process;
        }
        if (c != null && c.isActive()) {
            c.writeAndFlush(WsgiFrames.empty(c.alloc(), WsgiFrameType.STOP));
        }
        if (p == null) {
            return;
        }
        if (!wait) {
            factory.timers().schedule(() -> killIfAlive(p), STOP_GRACE_SECONDS, TimeUnit.SECONDS);
            return;
        }
        try {
            p.waitFor(STOP_GRACE_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        killIfAlive(p);
    }

    private void killIfAlive(Process p) {
        if (p.isAlive()) {
            LOG.warning("app '" + factory.app().name() + "': fork server pid " + p.pid() + " did not exit within "
                    + STOP_GRACE_SECONDS + " s of STOP; killing it");
            p.destroyForcibly();
        }
    }

    /** Once the process has exited and its connection closed: fails what it never forked, orphans the rest. */
    private void finishIfGone() {
        List<PythonWorker> unborn;
        List<PythonWorker> orphans;
        String detail;
        synchronized (this) {
            if (state == State.GONE || processStatus == null || (control != null && !controlClosed)) {
                return;
            }
            boolean wasReady = state == State.READY;
            state = State.GONE;
            cancelBootTimer();
            unborn = new ArrayList<>(waiting);
            unborn.addAll(spawning.values());
            waiting.clear();
            spawning.clear();
            orphans = new ArrayList<>(forked.values());
            forked.clear();
            String said = output == null ? "" : output.lastLines();
            detail = bootError != null ? PythonExitStatus.lastLine(bootError) : "its fork server exited with status " + processStatus
                    + (said.isEmpty() ? "" : ": " + PythonExitStatus.lastLine(said));
            if (bootError == null && !unborn.isEmpty() && !wasReady) {
                factory.bootFailed("the fork server exited with status " + processStatus + " before it was ready"
                        + (said.isEmpty() ? "" : "; its last output:\n" + said));
            }
        }
        if (!orphans.isEmpty()) {
            LOG.warning("app '" + factory.app().name() + "': the fork server exited with status " + processStatus
                    + "; replacing its " + orphans.size() + " worker(s)");
        }
        unborn.forEach(w -> w.failedToStart(PythonWorker.BOOT_FAILED, detail));
        orphans.forEach(PythonWorker::parentGone);
    }

    private void cancelBootTimer() {
        if (bootTimer != null) {
            bootTimer.cancel(false);
        }
    }

    /** The control connection's handler. */
    private final class Control extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws WsgiProtocolException {
            WsgiFrame frame = (WsgiFrame) msg;
            try {
                switch (frame.type()) {
                    case READY -> ready();
                    case BOOT_FAILED -> bootFailed(WsgiFrames.text(frame.content()));
                    case FORKED -> forked(WsgiFrames.forked(frame.content()));
                    case EXITED -> exited(WsgiFrames.exited(frame.content()));
                    case LOG -> {
                        WsgiFrames.Output out = WsgiFrames.output(frame.content());
                        PythonOutput.log(factory.app().name(), out.pid(), out.text());
                    }
                    case PONG -> {
                        // answers are not awaited on this connection
                    }
                    default -> throw new WsgiProtocolException(frame.type() + " on the fork server connection");
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            synchronized (PythonForkServer.this) {
                controlClosed = true;
            }
            finishIfGone();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.warning("app '" + factory.app().name() + "': the fork server broke the worker protocol ("
                    + WsgiProtocolException.unwrap(cause).getMessage() + "); killing it");
            ctx.close();
            Process p;
            synchronized (PythonForkServer.this) {
                p = process;
            }
            if (p != null) {
                p.destroyForcibly();
            }
        }
    }
}
