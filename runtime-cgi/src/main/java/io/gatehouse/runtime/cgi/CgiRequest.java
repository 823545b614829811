package io.gatehouse.runtime.cgi;

import io.gatehouse.app.Headers;
import io.gatehouse.spi.exchange.EnvironHead;
import io.gatehouse.spi.exchange.Exchange;
import io.gatehouse.spi.exchange.Response;
import io.gatehouse.spi.runtime.DocumentRoot;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * One CGI request: start the script, feed it the body, parse its header block (RFC 3875 section 6) and stream its
 * body back, killing it at the timeout. A script that dies or speaks nonsense before its header block ends is a
 * 502; its stderr goes to the log with its pid.
 */
final class CgiRequest {
    private static final Logger LOG = Logger.getLogger(CgiRequest.class.getName());
    private static final ScheduledExecutorService TIMEOUTS = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cgi-timeouts");
        t.setDaemon(true);
        return t;
    });
    private static final long BODY_READ_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final long WRITE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final String appName;
    private final CgiScripts scripts;
    private final CgiOptions options;
    private final Exchange exchange;
    private final Consumer<Process> started;

    CgiRequest(String appName, CgiScripts scripts, CgiOptions options, Exchange exchange, Consumer<Process> started) {
        this.appName = appName;
        this.scripts = scripts;
        this.options = options;
        this.exchange = exchange;
        this.started = started;
    }

    void run() {
        Response response = exchange.response();
        if (exchange.clientGone()) {
            return;
        }
        CgiScripts.Lookup lookup = scripts.resolve(exchange.environ());
        if (lookup.refusal() != null) {
            DocumentRoot.refuse(exchange, lookup.path(), lookup.refusal());
            return;
        }
        CgiScripts.Target target = lookup.target();
        if (target == null) {
            response.error(404, null);
            return;
        }
        ProcessBuilder pb = new ProcessBuilder(scripts.launch(target)).directory(target.script().getParent().toFile());
        pb.environment().clear();
        try {
            pb.environment().putAll(scripts.environment(exchange.environ(), target));
        } catch (CgiEnvironment.NulException e) {
            LOG.warning("cgi '" + appName + "': refused a request from " + exchange.peer() + ": " + e.getMessage()
                    + "; answered 400");
            response.error(400, null);
            return;
        }
        Process process;
        long oomKills = scripts.oomKills();
        try {
            process = pb.start();
        } catch (IOException e) {
            LOG.warning("cgi '" + appName + "': cannot run " + target.script() + ": " + e.getMessage());
            response.error(502, null);
            return;
        }
        started.accept(process);
        String name = target.script().getFileName() + " (pid " + process.pid() + ")";
        ScheduledFuture<?> timeout = TIMEOUTS.schedule(() -> {
            LOG.warning("cgi '" + appName + "': " + name + " ran past timeout " + options.timeout().toMillis()
                    + " ms; killing it");
            kill(process);
        }, options.timeout().toMillis(), TimeUnit.MILLISECONDS);
        Thread stderr = pipeToLog(process.getErrorStream(), name);
        Thread stdin = feedBody(process.getOutputStream(), name);
        try {
            answer(process.getInputStream(), name);
            int status = process.waitFor();
            if (status != 0) {
                boolean oom = status == 128 + 9 && scripts.oomKills() > oomKills; // SIGKILL, and a kill counted
                LOG.warning("cgi '" + appName + "': " + name + " exited with status " + status
                        + (oom ? ", killed by the kernel's OOM killer in the app's cgroup" : ""));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            response.error(502, null);
        } finally {
            timeout.cancel(false);
            kill(process);
            join(stdin);
            join(stderr);
        }
    }

    private void answer(InputStream stdout, String name) {
        Response response = exchange.response();
        try (InputStream out = stdout) {
            CgiHead head = CgiHead.read(out);
            if (head == null) {
                LOG.warning("cgi '" + appName + "': " + name + " ended before its header block");
                response.error(502, null);
                return;
            }
            if (!response.head(head.status(), head.reason(), head.headers(), head.contentLength())) {
                return;
            }
            byte[] buf = new byte[32 * 1024];
            for (int n; (n = out.read(buf)) > 0; ) {
                if (!response.chunk(Unpooled.copiedBuffer(buf, 0, n), true)
                        || !response.awaitWritable(WRITE_WAIT_NANOS)) {
                    return;
                }
            }
            response.end();
        } catch (CgiHead.MalformedException e) {
            LOG.warning("cgi '" + appName + "': " + name + " sent a malformed header block: " + e.getMessage());
            response.error(502, null);
        } catch (CgiHead.RefusedException e) {
            LOG.warning("app '" + appName + "': response head refused, answered 500 instead: " + name + " wrote "
                    + e.getMessage());
            response.error(500, null);
        } catch (IOException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            response.error(502, null);
        }
    }

    private Thread feedBody(OutputStream stdin, String name) {
        EnvironHead head = exchange.head();
        Thread t = new Thread(() -> {
            try (OutputStream in = stdin) {
                if (head.contentLength() == 0) {
                    return;
                }
                for (ByteBuf chunk; (chunk = exchange.body().take(BODY_READ_NANOS)) != null; ) {
                    try {
                        chunk.readBytes(in, chunk.readableBytes());
                    } finally {
                        chunk.release();
                    }
                }
            } catch (IOException e) {
                // the script stopped reading (or exited): what it answers is still its answer
            }
        }, "cgi-stdin-" + name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private Thread pipeToLog(InputStream stderr, String name) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(stderr, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    LOG.warning("cgi '" + appName + "' " + name + ": " + line);
                }
            } catch (IOException ignored) {
                // the pipe closes with the process
            }
        }, "cgi-stderr-" + name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void kill(Process p) {
        if (p.isAlive()) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    private static void join(Thread t) {
        try {
            t.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
