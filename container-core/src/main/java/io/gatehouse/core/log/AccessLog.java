package io.gatehouse.core.log;

import io.gatehouse.app.Environ;
import io.gatehouse.app.EnvironKeys;
import io.gatehouse.config.AccessLogFormat;
import io.gatehouse.core.exchange.ExchangeLog;
import io.gatehouse.spi.exchange.Exchange;
import java.io.BufferedWriter;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The access log: one line per finished exchange in Apache's combined format or as JSON, to stdout or a file.
 * Lines are buffered and flushed by the master's tick (and on reopen), so logging costs no syscall per request.
 */
public final class AccessLog implements ExchangeLog, AutoCloseable {
    private static final DateTimeFormatter CLF = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT);

    private final String target;
    private final AccessLogFormat format;
    private Writer out;

    /** A log to {@code target} ("-" for stdout, else a file path, appended to). */
    public AccessLog(String target, AccessLogFormat format) throws IOException {
        this.target = target;
        this.format = format;
        this.out = open(target);
    }

    @Override
    public void finished(Exchange exchange, String listener, boolean ok) {
        String line = format == AccessLogFormat.JSON ? json(exchange, listener, ok) : combined(exchange);
        synchronized (this) {
            try {
                out.write(line);
                out.write('\n');
            } catch (IOException e) {
                // a full disk must not fail requests; the error log shows the write errors of its own handler
            }
        }
    }

    /** Writes buffered lines out. */
    public synchronized void flush() {
        try {
            out.flush();
        } catch (IOException ignored) {
            // see finished()
        }
    }

    /** Reopens the file (SIGUSR1 after logrotate). */
    public synchronized void reopen() throws IOException {
        flush();
        if (!"-".equals(target)) {
            out.close();
        }
        out = open(target);
    }

    @Override
    public synchronized void close() throws IOException {
        flush();
        if (!"-".equals(target)) {
            out.close();
        }
    }

    private static Writer open(String target) throws IOException {
        var stream = "-".equals(target) ? new FileOutputStream(java.io.FileDescriptor.out)
                : new FileOutputStream(target, true);
        return new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 64 * 1024);
    }

    static String combined(Exchange ex) {
        Environ env = ex.environ();
        StringBuilder sb = new StringBuilder(200);
        sb.append(orDash(env.get(EnvironKeys.REMOTE_ADDR))).append(" - ").append(orDash(env.get(EnvironKeys.REMOTE_USER)))
                .append(" [").append(CLF.format(ZonedDateTime.now(ZoneId.systemDefault()))).append("] \"")
                .append(env.getOrDefault(EnvironKeys.REQUEST_METHOD, "-")).append(' ')
                .append(env.getOrDefault(EnvironKeys.REQUEST_URI, "-")).append(' ')
                .append(env.getOrDefault(EnvironKeys.SERVER_PROTOCOL, "-")).append("\" ")
                .append(ex.response().status()).append(' ')
                .append(ex.response().bytesSent() == 0 ? "-" : Long.toString(ex.response().bytesSent()))
                .append(" \"").append(orDash(env.get("HTTP_REFERER"))).append("\" \"")
                .append(orDash(env.get("HTTP_USER_AGENT"))).append('"');
        return sb.toString();
    }

    static String json(Exchange ex, String listener, boolean ok) {
        Environ env = ex.environ();
        long micros = (System.nanoTime() - ex.startNanos()) / 1000;
        StringBuilder sb = new StringBuilder(300).append('{');
        field(sb, "time", ZonedDateTime.now(ZoneId.systemDefault()).toOffsetDateTime().toString());
        field(sb, "remote_addr", env.get(EnvironKeys.REMOTE_ADDR));
        field(sb, "remote_user", env.get(EnvironKeys.REMOTE_USER));
        field(sb, "method", env.get(EnvironKeys.REQUEST_METHOD));
        field(sb, "uri", env.get(EnvironKeys.REQUEST_URI));
        field(sb, "protocol", env.get(EnvironKeys.SERVER_PROTOCOL));
        sb.append("\"status\":").append(ex.response().status()).append(',');
        sb.append("\"bytes\":").append(ex.response().bytesSent()).append(',');
        sb.append("\"duration_us\":").append(micros).append(',');
        sb.append("\"completed\":").append(ok).append(',');
        field(sb, "app", ex.appName());
        field(sb, "listener", listener);
        field(sb, "referer", env.get("HTTP_REFERER"));
        field(sb, "user_agent", env.get("HTTP_USER_AGENT"));
        sb.setLength(sb.length() - 1);
        return sb.append('}').toString();
    }

    private static void field(StringBuilder sb, String name, String value) {
        sb.append('"').append(name).append("\":");
        if (value == null) {
            sb.append("null,");
            return;
        }
        sb.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append("\",");
    }

    private static String orDash(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }
}
