package io.gatehouse.core.master;

import io.gatehouse.config.AccessLogFormat;
import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.core.exchange.ExchangeLog;
import io.gatehouse.core.log.AccessLog;
import io.gatehouse.spi.exchange.Exchange;
import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;

/** {@code logging.access-log} and its format: the new log is opened before the old one is closed. */
final class AccessLogService extends MasterService<AccessLogService.Section> implements ExchangeLog {
    private static final Logger LOG = Logger.getLogger(AccessLogService.class.getName());

    /** Where it goes (null: no access log, "-": stdout) and in which format. */
    record Section(String target, AccessLogFormat format) {
    }

    private volatile AccessLog log;

    AccessLogService() {
        super("logging.access-log");
    }

    @Override
    Section section(GatehouseConfig config) {
        return new Section(config.logging().accessLog(), config.logging().accessLogFormat());
    }

    @Override
    void replace(Section before, Section next) throws IOException {
        AccessLog old = log;
        log = next.target() == null ? null : new AccessLog(next.target(), next.format());
        if (old != null) {
            old.close();
        }
    }

    @Override
    public void finished(Exchange exchange, String listener, boolean ok) {
        AccessLog l = log;
        if (l != null) {
            l.finished(exchange, listener, ok);
        }
    }

    /** From the master's tick: writes the buffered lines out. */
    void flush() {
        AccessLog l = log;
        if (l != null) {
            l.flush();
        }
    }

    /** SIGUSR1: reopens the file (after logrotate moved it). */
    void reopen() throws IOException {
        AccessLog l = log;
        if (l != null) {
            l.reopen();
        }
    }

    @Override
    public void close() {
        AccessLog l = log;
        if (l != null) {
            try {
                l.close();
            } catch (IOException e) {
                LOG.log(Level.WARNING, "closing the access log", e);
            }
        }
    }
}
