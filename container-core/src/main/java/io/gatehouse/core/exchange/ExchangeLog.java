package io.gatehouse.core.exchange;

import io.gatehouse.spi.exchange.Exchange;

/** Told about every finished exchange: the access log and the request meters. */
@FunctionalInterface
public interface ExchangeLog {
    /** Logs nothing. */
    ExchangeLog NONE = (exchange, listener, ok) -> { };

    /** {@code ok} is false when the response was aborted or the client left before it ended. */
    void finished(Exchange exchange, String listener, boolean ok);
}
