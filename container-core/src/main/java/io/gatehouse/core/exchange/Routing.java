package io.gatehouse.core.exchange;

import io.gatehouse.spi.exchange.Exchange;

/** Where exchanges go once their head has arrived: the router in production, anything in tests. */
@FunctionalInterface
public interface Routing {

    /** Chooses the app, fixes the environ for its mount and dispatches; answers 404 itself if nothing matches. */
    void route(Exchange exchange);
}
